package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    static final FingerprintKey KEY = FingerprintKey.of("0123456789abcdef0123456789abcdef");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isHmacSha256OfTheSyncTheKeyAndTheValueBase64UrlTruncatedTo32WithTheKeyId() {
        // Computed independently with Python's hmac/hashlib: the purpose, then each part as a 4-byte big-endian
        // length and its bytes; urlsafe_b64encode(hmac.new(key, msg, sha256).digest())[:32]; sha256(key)[:8] hex.
        Fingerprint fp = KEY.fingerprint("app", "DB_PASS", b("s3cr3t"));
        assertEquals("v2:" + KEY.id() + ":" + fp.mac(), fp.tag());
        assertEquals("3eb1bd43", KEY.id());
        assertEquals("JnmZk6-b_DqAVwYZCExytq8ZTX9GyPI0", fp.mac());
    }

    @Test
    void oneValueHeldByTwoSecretsGivesUnrelatedFingerprints() {
        byte[] v = b("value");
        FingerprintKey other = FingerprintKey.of("another key of at least thirty-two bytes");
        assertNotEquals(KEY.fingerprint("app", "A", v), KEY.fingerprint("app", "B", v), "another key");
        assertNotEquals(KEY.fingerprint("app", "A", v), KEY.fingerprint("web", "A", v), "another sync");
        assertNotEquals(KEY.fingerprint("app", "AB", b("C")), KEY.fingerprint("app", "A", b("BC")),
                "the parts are length-prefixed: no two splits sign alike");
        assertNotEquals(KEY.fingerprint("app", "A", v), KEY.fingerprint("app", "A", b("valuf")));
        assertNotEquals(KEY.fingerprint("app", "A", v), other.fingerprint("app", "A", v));
        assertNotEquals(KEY.id(), other.id());
        assertEquals(KEY.fingerprint("app", "A", v), KEY.fingerprint("app", "A", v.clone()));
    }

    @Test
    void parsesOnlyWellFormedTags() {
        Fingerprint fp = KEY.fingerprint("app", "A", new byte[] {1, 2, 3});
        assertEquals(Optional.of(fp), Fingerprint.parse(fp.tag()));
        assertFalse(Fingerprint.parse(null).isPresent());
        assertFalse(Fingerprint.parse("v1:" + KEY.id() + ":" + fp.mac()).isPresent(), "a fingerprint of another form");
        assertFalse(Fingerprint.parse("v2:" + KEY.id() + ":" + fp.mac() + "x").isPresent());
        assertFalse(Fingerprint.parse("v2:XYZ:" + fp.mac()).isPresent());
    }

    @Test
    void shortKeysAreRefusedAndKeysNeverPrint() {
        var e = assertThrows(IllegalArgumentException.class, () -> FingerprintKey.of("short"));
        assertEquals("the fingerprint key must be at least 32 bytes", e.getMessage());
        assertEquals("FingerprintKey[id=" + KEY.id() + "]", KEY.toString());
        assertTrue(!KEY.toString().contains("0123456789abcdef"));
    }
}
