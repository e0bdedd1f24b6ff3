package ocivaultsync.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.FingerprintKey;

/**
 * Fingerprint keys, as the secret reader holds them: every pass asks it, so a key rotated in OCI Vault is used once the
 * reader's copy expires ({@code ovs.secret-cache-ttl}) or an OCI event drops it; the key derived from a text is kept
 * only while the text is the same.
 */
public final class FingerprintKeys {

    private record Derived(String text, FingerprintKey key) {
        @Override
        public String toString() {
            return "Derived[" + key + "]";
        }
    }

    private final Function<SecretRef, String> secrets;
    private final Map<String, Derived> keys = new ConcurrentHashMap<>();

    public FingerprintKeys(Function<SecretRef, String> secrets) {
        this.secrets = secrets;
    }

    public FingerprintKey get(SecretRef ref) {
        String cacheKey = ref instanceof SecretRef.VaultSecret v ? v.secretId() : "inline:" + ref.hashCode();
        String text = secrets.apply(ref);
        Derived d = keys.get(cacheKey);
        if (d != null && d.text().equals(text)) {
            return d.key();
        }
        try {
            FingerprintKey key = FingerprintKey.of(text);
            keys.put(cacheKey, new Derived(text, key));
            return key;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fingerprintKey: " + e.getMessage());
        }
    }

    public void forget() {
        keys.clear();
    }
}
