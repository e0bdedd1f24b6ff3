package ocivaultsync.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.Claims;
import ocivaultsync.reconcile.FingerprintKey;

/**
 * The fingerprint key as the passes use it ({@link Claims}): every pass asks, so a key rotated in OCI Vault is used
 * once the secret reader's copy expires ({@code ovs.secret-cache-ttl}) or an OCI event drops it. When the key changes
 * (and when a container first reads it) the secret's PREVIOUS version is read once too: claims written under it keep
 * verifying until a pass writes them again under the new key.
 */
public final class FingerprintKeys {

    private record Known(String text, Claims claims) {
        @Override
        public String toString() {
            return "Known[" + claims + "]";
        }
    }

    private final Function<SecretRef, String> secrets;
    private final Function<String, Optional<String>> previous;
    private final Map<String, Known> keys = new ConcurrentHashMap<>();

    /** Keys without a previous version (inline keys, tests). */
    public FingerprintKeys(Function<SecretRef, String> secrets) {
        this(secrets, id -> Optional.empty());
    }

    /** @param previous a vault secret's PREVIOUS version, by OCID; empty before its first rotation */
    public FingerprintKeys(Function<SecretRef, String> secrets, Function<String, Optional<String>> previous) {
        this.secrets = secrets;
        this.previous = previous;
    }

    public Claims get(SecretRef ref) {
        String cacheKey = ref instanceof SecretRef.VaultSecret v ? v.secretId() : "inline:" + ref.hashCode();
        String text = secrets.apply(ref);
        Known k = keys.get(cacheKey);
        if (k != null && k.text().equals(text)) {
            return k.claims();
        }
        FingerprintKey key;
        try {
            key = FingerprintKey.of(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fingerprintKey: " + e.getMessage());
        }
        // A previous version too short to be a key never signed anything this product wrote.
        Optional<FingerprintKey> before = ref instanceof SecretRef.VaultSecret v
                ? previous.apply(v.secretId()).filter(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        >= FingerprintKey.MIN_LENGTH_BYTES).map(FingerprintKey::of)
                : Optional.empty();
        Claims claims = Claims.of(key, before);
        keys.put(cacheKey, new Known(text, claims));
        return claims;
    }

    public void forget() {
        keys.clear();
    }
}
