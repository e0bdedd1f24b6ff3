package ocivaultsync.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.FingerprintKey;

/** Fingerprint keys read once per container, until an OCI event says a referenced secret changed. */
public final class FingerprintKeys {

    private final Function<SecretRef, String> secrets;
    private final Map<String, FingerprintKey> keys = new ConcurrentHashMap<>();

    public FingerprintKeys(Function<SecretRef, String> secrets) {
        this.secrets = secrets;
    }

    public FingerprintKey get(SecretRef ref) {
        String cacheKey = ref instanceof SecretRef.VaultSecret v ? v.secretId() : "inline:" + ref.hashCode();
        return keys.computeIfAbsent(cacheKey, k -> {
            try {
                return FingerprintKey.of(secrets.apply(ref));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("fingerprintKey: " + e.getMessage());
            }
        });
    }

    public void forget() {
        keys.clear();
    }
}
