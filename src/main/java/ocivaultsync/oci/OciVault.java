package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
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
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretVersionsRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretVersionDeletionRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.ListSecretVersionsResponse;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import ocivaultsync.reconcile.CallCounter;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SecretVersion;
import ocivaultsync.reconcile.VaultException;
import ocivaultsync.reconcile.VaultPort;
import ocivaultsync.reconcile.VaultTarget;

/**
 * The vault port over the real OCI Java SDK. One instance per run (it counts that run's calls); the clients it uses are
 * the container's.
 */
public final class OciVault implements VaultPort {

    private final OciClients clients;
    private final String region;
    private final CallCounter calls;

    public OciVault(OciClients clients, String region, CallCounter calls) {
        this.clients = clients;
        this.region = region;
        this.calls = calls;
    }

    @Override
    public List<DestinationSecret> list(VaultTarget target) {
        return listing(target, null);
    }

    @Override
    public List<DestinationSecret> findByName(VaultTarget target, String name) {
        return listing(target, name);
    }

    private List<DestinationSecret> listing(VaultTarget target, String name) {
        VaultsClient vaults = clients.vaults(region);
        List<DestinationSecret> out = new ArrayList<>();
        String page = null;
        do {
            ListSecretsRequest req = ListSecretsRequest.builder().compartmentId(target.compartmentId())
                    .vaultId(target.vaultId()).name(name).page(page).build();
            calls.list();
            ListSecretsResponse r = call(() -> vaults.listSecrets(req));
            for (SecretSummary s : r.getItems()) {
                out.add(new DestinationSecret(s.getId(), s.getSecretName(),
                        LifecycleState.fromWire(s.getLifecycleState() == null ? null : s.getLifecycleState().getValue()),
                        s.getFreeformTags(), s.getTimeOfDeletion() == null ? null : s.getTimeOfDeletion().toInstant()));
            }
            page = r.getOpcNextPage();
        } while (page != null && !page.isEmpty());
        return out;
    }

    @Override
    public String create(VaultTarget target, String name, SecretValue value, Map<String, String> tags) {
        // An explicit retry token per logical create: the SDK's own retries then cannot create it twice.
        CreateSecretRequest req = CreateSecretRequest.builder().opcRetryToken(UUID.randomUUID().toString())
                .createSecretDetails(CreateSecretDetails.builder().compartmentId(target.compartmentId())
                        .vaultId(target.vaultId()).keyId(target.keyId()).secretName(name).freeformTags(tags)
                        .secretContent(content(value)).build())
                .build();
        calls.write();
        return call(() -> clients.vaults(region).createSecret(req)).getSecret().getId();
    }

    @Override
    public long update(String secretId, SecretValue value, Map<String, String> tags) {
        UpdateSecretDetails.Builder details = UpdateSecretDetails.builder().freeformTags(tags);
        if (value != null) {
            details.secretContent(content(value));
        }
        UpdateSecretRequest req = UpdateSecretRequest.builder().secretId(secretId)
                .updateSecretDetails(details.build()).build();
        calls.write();
        Long version = call(() -> clients.vaults(region).updateSecret(req)).getSecret().getCurrentVersionNumber();
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
                        .timeOfDeletion(Date.from(timeOfDeletion)).build())
                .build();
        calls.write();
        call(() -> clients.vaults(region).scheduleSecretVersionDeletion(req));
    }

    @Override
    public void scheduleDeletion(String secretId, Instant timeOfDeletion) {
        ScheduleSecretDeletionRequest req = ScheduleSecretDeletionRequest.builder().secretId(secretId)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder()
                        .timeOfDeletion(Date.from(timeOfDeletion)).build())
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
        GetSecretBundleRequest req = GetSecretBundleRequest.builder().secretId(secretId)
                .stage(GetSecretBundleRequest.Stage.Current).build();
        calls.read();
        var bundle = call(() -> clients.secrets(region).getSecretBundle(req)).getSecretBundle();
        if (!(bundle.getSecretBundleContent() instanceof Base64SecretBundleContentDetails b64)) {
            throw new VaultException(VaultException.Kind.INVALID, 0, "UnexpectedContent",
                    "the bundle content is not BASE64", null);
        }
        return SecretValue.fromBase64(b64.getContent());
    }

    private static SecretContentDetails content(SecretValue value) {
        return Base64SecretContentDetails.builder().content(value.base64()).stage(SecretContentDetails.Stage.Current)
                .build();
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (BmcException e) {
            throw OciErrors.classify(e);
        }
    }
}
