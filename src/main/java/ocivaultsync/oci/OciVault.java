package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.ScheduleSecretVersionDeletionDetails;
import com.oracle.bmc.vault.model.SecretVersionSummary;
import com.oracle.bmc.vault.model.SecretContentDetails;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CancelSecretDeletionRequest;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretVersionsRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretVersionDeletionRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import com.oracle.bmc.vault.responses.ListSecretVersionsResponse;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SecretVersion;
import ocivaultsync.apply.VaultException;
import ocivaultsync.reconcile.VaultLimits;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.reconcile.Destination;

/**
 * The vault port over the real OCI Java SDK. One instance per run (it counts that run's calls); the clients it uses are
 * the container's.
 */
public final class OciVault implements VaultPort {

    static final Duration DELETION_MARGIN = Duration.ofMinutes(5);

    private final OciClients clients;
    private final String region;
    private final CallCounter calls;
    private final byte[] tokenSalt = new byte[16];
    /** OCI's time at its last dated answer, and this process's monotonic time then. */
    private volatile Instant serverTime;
    private volatile long serverTimeAt;

    public OciVault(OciClients clients, String region, CallCounter calls) {
        this.clients = clients;
        this.region = region;
        this.calls = calls;
        new SecureRandom().nextBytes(tokenSalt);
    }

    @Override
    public List<DestinationSecret> list(Destination target) {
        return listing(target, null);
    }

    @Override
    public List<DestinationSecret> findByName(Destination target, String name) {
        return listing(target, name);
    }

    private List<DestinationSecret> listing(Destination target, String name) {
        VaultsClient vaults = clients.vaults(region);
        List<DestinationSecret> out = new ArrayList<>();
        String page = null;
        do {
            ListSecretsRequest req = ListSecretsRequest.builder().compartmentId(target.compartmentId())
                    .vaultId(target.vaultId()).name(name).page(page).build();
            calls.list();
            ListSecretsResponse r;
            try {
                r = call(() -> vaults.listSecrets(req));
                dated(r);
            } catch (VaultException e) {
                throw e.kind() == VaultException.Kind.NOT_FOUND ? outOfSight(target, e) : e;
            }
            for (SecretSummary s : r.getItems()) {
                out.add(new DestinationSecret(s.getId(), s.getSecretName(),
                        LifecycleState.fromWire(s.getLifecycleState() == null ? null : s.getLifecycleState().getValue()),
                        s.getFreeformTags(), s.getTimeOfDeletion() == null ? null : s.getTimeOfDeletion().toInstant(),
                        s.getTimeCreated() == null ? null : s.getTimeCreated().toInstant()));
            }
            page = r.getOpcNextPage();
        } while (page != null && !page.isEmpty());
        return out;
    }

    @Override
    public java.util.Optional<Instant> serverNow() {
        Instant t = serverTime;
        return t == null ? java.util.Optional.empty()
                : java.util.Optional.of(t.plusNanos(System.nanoTime() - serverTimeAt));
    }

    private Instant ociNow() {
        return serverNow().orElseGet(Instant::now);
    }

    /** Keeps OCI's clock from an answer's {@code Date} header (RFC 1123, whole seconds). */
    private void dated(com.oracle.bmc.responses.BmcResponse r) {
        java.util.Map<String, java.util.List<String>> headers = r.getHeaders();
        if (headers == null) {
            return;
        }
        headers.forEach((name, values) -> {
            if ("date".equalsIgnoreCase(name) && values != null && !values.isEmpty()) {
                try {
                    serverTime = java.time.ZonedDateTime.parse(values.get(0),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    serverTimeAt = System.nanoTime();
                } catch (java.time.format.DateTimeParseException e) {
                    // not a date: deletion windows fall back to this container's clock
                }
            }
        });
    }

    /**
     * OCI answers a compartment or vault the caller may not see exactly as one that does not exist. Either way nothing
     * can be planned from it; the likeliest cause is the IAM policy (or a mistyped id), so the message names both.
     */
    private static VaultException outOfSight(Destination target, VaultException e) {
        return new VaultException(e.kind(), e.status(), e.code(), "the compartment " + target.compartmentId()
                + " or the vault " + target.vaultId() + " does not exist or this function may not see it: check both "
                + "ids and that an IAM policy grants the function's dynamic group 'manage secret-family in compartment "
                + "id " + target.compartmentId() + " where target.vault.id = '" + target.vaultId() + "'' (the "
                + "Terraform module writes it); nothing is planned from an answer that cannot tell empty from hidden",
                e.opcRequestId());
    }

    /**
     * The {@code timeOfDeletion} sent: the one asked for, kept inside OCI's window (1 to 30 days from the moment OCI
     * receives it) with five minutes to spare at each end, so a request in flight or a clock a little off never earns a
     * 400 (docs/ASSUMPTIONS.md, "Deletion window").
     */
    static Instant deletionTime(Instant requested, Instant now) {
        Instant earliest = now.plus(Duration.ofDays(VaultLimits.MIN_DELETION_DAYS)).plus(DELETION_MARGIN);
        Instant latest = now.plus(Duration.ofDays(VaultLimits.MAX_DELETION_DAYS)).minus(DELETION_MARGIN);
        return requested.isBefore(earliest) ? earliest : requested.isAfter(latest) ? latest : requested;
    }

    @Override
    public String create(Destination target, String name, SecretValue value, Map<String, String> tags) {
        // One retry token per change: the SDK's retries, and another attempt at the same change after a lost answer,
        // then cannot create it twice.
        CreateSecretRequest req = CreateSecretRequest.builder().opcRetryToken(retryToken(target, name, value, tags))
                .createSecretDetails(CreateSecretDetails.builder().compartmentId(target.compartmentId())
                        .vaultId(target.vaultId()).keyId(target.keyId()).secretName(name).freeformTags(tags)
                        .secretContent(content(value)).build())
                .build();
        calls.write();
        return call(() -> clients.vaults(region).createSecret(req), value).getSecret().getId();
    }

    @Override
    public Versioned get(String secretId) {
        GetSecretRequest req = GetSecretRequest.builder().secretId(secretId).build();
        calls.read();
        GetSecretResponse r = call(() -> clients.vaults(region).getSecret(req));
        dated(r);
        Secret s = r.getSecret();
        return new Versioned(new DestinationSecret(s.getId(), s.getSecretName(),
                LifecycleState.fromWire(s.getLifecycleState() == null ? null : s.getLifecycleState().getValue()),
                s.getFreeformTags(), s.getTimeOfDeletion() == null ? null : s.getTimeOfDeletion().toInstant(),
                s.getTimeCreated() == null ? null : s.getTimeCreated().toInstant()), r.getEtag(),
                s.getCurrentVersionNumber() == null ? 0 : s.getCurrentVersionNumber());
    }

    @Override
    public long update(String secretId, SecretValue value, Map<String, String> tags, String ifMatch) {
        // Never unconditional: a write ordered by the etag of the read it was decided on cannot land twice (the SDK's
        // retry of a lost answer meets 412) nor drop a tag another writer set in between (docs/ARCHITECTURE.md,
        // "Tags written").
        java.util.Objects.requireNonNull(ifMatch, "ifMatch");
        UpdateSecretDetails.Builder details = UpdateSecretDetails.builder().freeformTags(tags);
        if (value != null) {
            details.secretContent(content(value));
        }
        UpdateSecretRequest req = UpdateSecretRequest.builder().secretId(secretId).ifMatch(ifMatch)
                .updateSecretDetails(details.build()).build();
        calls.write();
        Long version = call(() -> clients.vaults(region).updateSecret(req), value).getSecret().getCurrentVersionNumber();
        return version == null ? 0 : version;
    }

    @Override
    public List<SecretVersion> listVersions(String secretId) {
        VaultsClient vaults = clients.vaults(region);
        List<SecretVersion> out = new ArrayList<>();
        String page = null;
        do {
            ListSecretVersionsRequest req = ListSecretVersionsRequest.builder().secretId(secretId).page(page).build();
            calls.list();
            ListSecretVersionsResponse r = call(() -> vaults.listSecretVersions(req));
            for (SecretVersionSummary v : r.getItems()) {
                out.add(new SecretVersion(v.getVersionNumber() == null ? 0 : v.getVersionNumber(),
                        v.getStages() == null ? java.util.Set.of() : v.getStages().stream()
                                .map(SecretVersionSummary.Stages::getValue)
                                .collect(java.util.stream.Collectors.toSet()),
                        v.getTimeOfDeletion() == null ? null : v.getTimeOfDeletion().toInstant()));
            }
            page = r.getOpcNextPage();
        } while (page != null && !page.isEmpty());
        return out;
    }

    @Override
    public void scheduleVersionDeletion(String secretId, long versionNumber, Instant timeOfDeletion) {
        ScheduleSecretVersionDeletionRequest req = ScheduleSecretVersionDeletionRequest.builder().secretId(secretId)
                .secretVersionNumber(versionNumber)
                .scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails.builder()
                        .timeOfDeletion(Date.from(deletionTime(timeOfDeletion, ociNow()))).build())
                .build();
        calls.write();
        call(() -> clients.vaults(region).scheduleSecretVersionDeletion(req));
    }

    @Override
    public void scheduleDeletion(String secretId, Instant timeOfDeletion) {
        ScheduleSecretDeletionRequest req = ScheduleSecretDeletionRequest.builder().secretId(secretId)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder()
                        .timeOfDeletion(Date.from(deletionTime(timeOfDeletion, ociNow()))).build())
                .build();
        calls.write();
        call(() -> clients.vaults(region).scheduleSecretDeletion(req));
    }

    @Override
    public void cancelDeletion(String secretId) {
        CancelSecretDeletionRequest req = CancelSecretDeletionRequest.builder().secretId(secretId).build();
        calls.write();
        call(() -> clients.vaults(region).cancelSecretDeletion(req));
    }

    @Override
    public SecretValue readCurrent(String secretId) {
        calls.read();
        try {
            return call(() -> BundleReader.readCurrent(clients.secrets(region), secretId));
        } catch (BundleReader.UnexpectedContentException e) {
            throw new VaultException(VaultException.Kind.INVALID, 0, "UnexpectedContent", e.getMessage(), null);
        }
    }

    /**
     * The same for every attempt at one change within this run (the SDK's retries, and a create the executor tries
     * again): derived from where, what name, which value and which tags, salted with this run's random salt so the token
     * says nothing about the value to anyone who sees it.
     */
    String retryToken(Destination target, String name, SecretValue value, Map<String, String> tags) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(tokenSalt);
            StringBuilder sb = new StringBuilder().append(target.compartmentId()).append('\n')
                    .append(target.vaultId()).append('\n').append(name).append('\n').append(value.base64());
            new TreeMap<>(tags == null ? Map.<String, String>of() : tags)
                    .forEach((k, v) -> sb.append('\n').append(k).append('=').append(v));
            byte[] h = d.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return UUID.nameUUIDFromBytes(h).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretContentDetails content(SecretValue value) {
        return Base64SecretContentDetails.builder().content(value.base64()).stage(SecretContentDetails.Stage.Current)
                .build();
    }

    /** @param sent the values the request carries: OCI's error message may echo them, so they are redacted */
    private static <T> T call(Supplier<T> call, SecretValue... sent) {
        try {
            return call.get();
        } catch (BmcException e) {
            throw OciErrors.classify(e, sent);
        }
    }
}
