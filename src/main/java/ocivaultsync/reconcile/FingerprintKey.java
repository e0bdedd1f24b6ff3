package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key behind {@link Fingerprint}s. Its id is the first 8 hex characters of SHA-256 of the key, so the id
 * identifies the key without revealing it.
 */
public final class FingerprintKey {

    /** Shorter keys make the fingerprint of a short value guessable offline. */
    public static final int MIN_LENGTH_BYTES = 32;

    private static final int MAC_CHARS = 32;
    private final byte[] key;
    private final String id;

    private FingerprintKey(byte[] key) {
        this.key = key.clone();
        this.id = HexFormat.of().formatHex(sha256(key)).substring(0, 8);
    }

    /** A key from its text (the UTF-8 bytes of an OCI Vault secret or of an inline value). */
    public static FingerprintKey of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_LENGTH_BYTES) {
            throw new IllegalArgumentException("the fingerprint key must be at least " + MIN_LENGTH_BYTES + " bytes");
        }
        return new FingerprintKey(bytes);
    }

    public String id() {
        return id;
    }

    /**
     * The fingerprint of a value as {@code sync} holds it under the source key {@code key}: bound to both, so two
     * secrets holding one value carry unrelated fingerprints (docs/ARCHITECTURE.md, "Ownership claims").
     */
    public Fingerprint fingerprint(String sync, String key, byte[] value) {
        return new Fingerprint(id, mac(Fingerprint.PURPOSE, utf8(sync), utf8(key), value));
    }

    /**
     * HMAC-SHA256 under this key of {@code purpose} followed by each part as its length (4 bytes, big-endian) and its
     * bytes, so no two lists of parts sign alike; base64url without padding, its first 32 characters.
     */
    String mac(String purpose, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(utf8(purpose));
            for (byte[] part : parts) {
                mac.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
                mac.update(part);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal()).substring(0, MAC_CHARS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FingerprintKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256(key));
    }

    @Override
    public String toString() {
        return "FingerprintKey[id=" + id + "]";
    }
}
