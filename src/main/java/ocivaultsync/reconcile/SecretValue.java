package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A secret value in memory. It never prints ({@link #toString()} is masked), never compares by identity and is the
 * only type that carries value bytes between the source, the vault and the executor.
 */
public final class SecretValue {

    private final byte[] bytes;

    private SecretValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretValue of(byte[] bytes) {
        return new SecretValue(bytes.clone());
    }

    public static SecretValue ofUtf8(String text) {
        return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded content of an OCI bundle. */
    public static SecretValue fromBase64(String base64) {
        return new SecretValue(Base64.getDecoder().decode(base64));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The value as text (sources hold text); invalid UTF-8 is replaced, never thrown. */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public Fingerprint fingerprint(FingerprintKey key) {
        return key.fingerprint(bytes);
    }

    /**
     * Removes this value from a text (an error message from a service, say), in its plain and base64 forms, so a
     * message that echoes a request can never carry the value on.
     */
    public String redactFrom(String text) {
        if (text == null || bytes.length == 0) {
            return text;
        }
        String out = text;
        String plain = utf8();
        if (plain.length() >= 4) {
            out = out.replace(plain, "***");
        }
        String b64 = base64();
        if (b64.length() >= 4) {
            out = out.replace(b64, "***");
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue v && MessageDigest.isEqual(bytes, v.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SecretValue[***, " + bytes.length + " bytes]";
    }
}
