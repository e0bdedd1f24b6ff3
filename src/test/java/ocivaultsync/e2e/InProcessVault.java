package ocivaultsync.e2e;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.emulator.EmulatedVault;
import ocivaultsync.emulator.NewSecret;
import ocivaultsync.emulator.OciError;
import ocivaultsync.emulator.SecretQuery;
import ocivaultsync.emulator.SecretUpdate;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SecretVersion;

/**
 * The vault port straight over the emulator's state model, in process: the model-based test runs thousands of passes,
 * and the HTTP and SDK path is covered by every other end-to-end test. Errors go through the product's own classifier.
 * Faults, when on, are drawn from the test's seeded random: a 429, a 503 before the call takes effect, or an answer
 * lost after it did.
 */
final class InProcessVault implements VaultPort {

    /** What a test sees of the calls: before each call that is not a listing, and after each write took effect. */
    interface Watcher {
        /**
         * Before a call that is not a listing (a read or a write): where a test may act between list and write.
         *
         * @param secretId the secret it concerns (null for a create)
         */
        default void beforeCall(String operation, String secretId) {
        }

        /** After a write took effect (its answer may still be lost), with the tags it wrote (null: none). */
        default void wrote(String operation, String secretId, Map<String, String> tagsBefore,
                Map<String, String> tagsWritten) {
        }
    }

    private final EmulatedVault vault;
    private final CallCounter calls;
    private final Random random;
    private final Supplier<Boolean> faults;
    private final Watcher watcher;

    InProcessVault(EmulatedVault vault, CallCounter calls, Random random, Supplier<Boolean> faults) {
        this(vault, calls, random, faults, new Watcher() { });
    }

    InProcessVault(EmulatedVault vault, CallCounter calls, Random random, Supplier<Boolean> faults, Watcher watcher) {
        this.vault = vault;
        this.calls = calls;
        this.random = random;
        this.faults = faults;
        this.watcher = watcher;
    }

    @Override
    public List<DestinationSecret> list(Destination target) {
        return listing(target, null);
    }

    @Override
    public List<DestinationSecret> findByName(Destination target, String name) {
        return listing(target, name);
    }

    @SuppressWarnings("unchecked")
    private List<DestinationSecret> listing(Destination target, String name) {
        List<DestinationSecret> out = new ArrayList<>();
        Integer offset = 0;
        do {
            calls.list();
            int p = offset;
            EmulatedVault.Page r = call(false, () -> vault.list(SecretQuery.all(target.compartmentId(),
                    target.vaultId(), name, p)));
            for (Map<String, Object> s : r.items()) {
                Object tod = s.get("timeOfDeletion");
                Object created = s.get("timeCreated");
                out.add(new DestinationSecret((String) s.get("id"), (String) s.get("secretName"),
                        LifecycleState.fromWire((String) s.get("lifecycleState")),
                        (Map<String, String>) s.get("freeformTags"),
                        tod == null ? null : OffsetDateTime.parse((String) tod).toInstant(),
                        created == null ? null : OffsetDateTime.parse((String) created).toInstant()));
            }
            offset = r.nextOffset();
        } while (offset != null);
        return out;
    }

    @Override
    public java.util.Optional<Instant> serverNow() {
        return java.util.Optional.of(vault.now());
    }

    @Override
    public String create(Destination target, String name, SecretValue value, Map<String, String> tags) {
        calls.write();
        watcher.beforeCall("CreateSecret", null);
        return (String) call(true, () -> {
            Map<String, Object> s = vault.create(new NewSecret(target.compartmentId(),
                    target.vaultId(), target.keyId(), name, null, value.base64(), null, tags, null, null), null, null);
            watcher.wrote("CreateSecret", (String) s.get("id"), null, tags);
            return s;
        }).get("id");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Versioned get(String secretId) {
        calls.read();
        watcher.beforeCall("GetSecret", secretId);
        Map<String, Object> s = call(false, () -> vault.get(secretId));
        Object tod = s.get("timeOfDeletion");
        Object created = s.get("timeCreated");
        Object version = s.get("currentVersionNumber");
        return new Versioned(new DestinationSecret((String) s.get("id"), (String) s.get("secretName"),
                LifecycleState.fromWire((String) s.get("lifecycleState")), (Map<String, String>) s.get("freeformTags"),
                tod == null ? null : OffsetDateTime.parse((String) tod).toInstant(),
                created == null ? null : OffsetDateTime.parse((String) created).toInstant()), vault.etag(secretId),
                version == null ? 0 : ((Number) version).longValue());
    }

    @Override
    public long update(String secretId, SecretValue value, Map<String, String> tags, String ifMatch) {
        calls.write();
        watcher.beforeCall("UpdateSecret", secretId);
        Object v = call(true, () -> {
            Map<String, String> before = tagsOf(secretId);
            Map<String, Object> s = vault.update(secretId, new SecretUpdate(null,
                    value == null ? null : value.base64(), null, false, tags, null, null, null), ifMatch);
            watcher.wrote("UpdateSecret", secretId, before, tags);
            return s;
        }).get("currentVersionNumber");
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Override
    public void scheduleDeletion(String secretId, Instant timeOfDeletion) {
        calls.write();
        watcher.beforeCall("ScheduleSecretDeletion", secretId);
        call(true, () -> {
            String etag = vault.scheduleDeletion(secretId, timeOfDeletion, null);
            watcher.wrote("ScheduleSecretDeletion", secretId, null, null);
            return etag;
        });
    }

    @Override
    public void cancelDeletion(String secretId) {
        calls.write();
        watcher.beforeCall("CancelSecretDeletion", secretId);
        call(true, () -> {
            String etag = vault.cancelDeletion(secretId, null);
            watcher.wrote("CancelSecretDeletion", secretId, null, null);
            return etag;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public SecretValue readCurrent(String secretId) {
        calls.read();
        watcher.beforeCall("GetSecretBundle", secretId);
        Map<String, Object> b = call(false, () -> vault.bundle(secretId, null, null, null));
        return SecretValue.fromBase64((String) ((Map<String, Object>) b.get("secretBundleContent")).get("content"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<SecretVersion> listVersions(String secretId) {
        calls.list();
        List<SecretVersion> out = new ArrayList<>();
        for (Map<String, Object> v : call(false, () -> vault.listVersions(secretId, 1000, 0, false)).items()) {
            Object tod = v.get("timeOfDeletion");
            out.add(new SecretVersion(((Number) v.get("versionNumber")).longValue(),
                    new HashSet<>((List<String>) v.get("stages")),
                    tod == null ? null : OffsetDateTime.parse((String) tod).toInstant()));
        }
        return out;
    }

    @Override
    public void scheduleVersionDeletion(String secretId, long versionNumber, Instant timeOfDeletion) {
        calls.write();
        call(true, () -> vault.scheduleVersionDeletion(secretId, versionNumber, timeOfDeletion, null));
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> tagsOf(String secretId) {
        try {
            return Map.copyOf((Map<String, String>) vault.get(secretId).get("freeformTags"));
        } catch (OciError e) {
            return Map.of();
        }
    }

    private <T> T call(boolean write, Supplier<T> op) {
        if (faults.get()) {
            int roll = random.nextInt(100);
            if (roll < 6) {
                throw classify(new OciError(429, "TooManyRequests", "Too many requests."));
            }
            if (roll < 9) {
                throw classify(new OciError(503, "ServiceUnavailable", "Injected."));
            }
            if (write && roll < 12) {
                try {
                    op.get(); // it took effect; the answer is lost
                } catch (OciError ignored) {
                    // refused anyway: still a lost answer to the caller
                }
                throw classify(new OciError(503, "ServiceUnavailable", "Answer lost."));
            }
        }
        try {
            return op.get();
        } catch (OciError e) {
            throw classify(e);
        }
    }

    /** As the SDK adapter classifies OCI's answers (oci/OciErrors). */
    private static VaultException classify(OciError e) {
        int s = e.status();
        String m = e.getMessage() == null ? "" : e.getMessage();
        VaultException.Kind kind = s == 429 ? VaultException.Kind.THROTTLED
                : s == 412 ? VaultException.Kind.CONFLICT
                : s == 409 && "IncorrectState".equals(e.code()) ? VaultException.Kind.INCORRECT_STATE
                : s == 400 && "InvalidParameter".equals(e.code()) && m.contains("already exists")
                        ? VaultException.Kind.NAME_EXISTS
                : s == 404 ? VaultException.Kind.NOT_FOUND
                : s == 400 && "LimitExceeded".equals(e.code()) ? VaultException.Kind.LIMIT
                : s >= 500 ? VaultException.Kind.TRANSIENT : VaultException.Kind.INVALID;
        return new VaultException(kind, s, e.code(), m, "emulated");
    }
}
