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

    private final EmulatedVault vault;
    private final CallCounter calls;
    private final Random random;
    private final Supplier<Boolean> faults;

    InProcessVault(EmulatedVault vault, CallCounter calls, Random random, Supplier<Boolean> faults) {
        this.vault = vault;
        this.calls = calls;
        this.random = random;
        this.faults = faults;
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
    public String create(Destination target, String name, SecretValue value, Map<String, String> tags) {
        calls.write();
        return (String) call(true, () -> vault.create(new NewSecret(target.compartmentId(),
                target.vaultId(), target.keyId(), name, null, value.base64(), null, tags, null, null),
                null, null)).get("id");
    }

    @Override
    public long update(String secretId, SecretValue value, Map<String, String> tags) {
        calls.write();
        Object v = call(true, () -> vault.update(secretId, new SecretUpdate(null,
                value == null ? null : value.base64(), null, false, tags, null, null, null), null))
                .get("currentVersionNumber");
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Override
    public void scheduleDeletion(String secretId, Instant timeOfDeletion) {
        calls.write();
        call(true, () -> vault.scheduleDeletion(secretId, timeOfDeletion, null));
    }

    @Override
    public void cancelDeletion(String secretId) {
        calls.write();
        call(true, () -> vault.cancelDeletion(secretId, null));
    }

    @Override
    @SuppressWarnings("unchecked")
    public SecretValue readCurrent(String secretId) {
        calls.read();
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
                : s == 409 && "IncorrectState".equals(e.code()) ? VaultException.Kind.INCORRECT_STATE
                : s == 400 && "InvalidParameter".equals(e.code()) && m.contains("already exists")
                        ? VaultException.Kind.NAME_EXISTS
                : s == 404 ? VaultException.Kind.NOT_FOUND
                : s == 400 && "LimitExceeded".equals(e.code()) ? VaultException.Kind.LIMIT
                : s >= 500 ? VaultException.Kind.TRANSIENT : VaultException.Kind.INVALID;
        return new VaultException(kind, s, e.code(), m, "emulated");
    }
}
