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

    @Test
    void isHmacSha256Base64UrlTruncatedTo32WithTheKeyId() {
        // Expected values computed independently with Python's hmac/hashlib:
        // urlsafe_b64encode(hmac.new(key, b"s3cr3t", sha256).digest())[:32] and sha256(key).hexdigest()[:8]
        Fingerprint fp = KEY.fingerprint("s3cr3t".getBytes(StandardCharsets.UTF_8));
        assertEquals("v1:" + KEY.id() + ":" + fp.mac(), fp.tag());
        assertEquals(32, fp.mac().length());
        assertEquals(EXPECTED_KEY_ID, KEY.id());
        assertEquals(EXPECTED_MAC, fp.mac());
    }

    static final String EXPECTED_KEY_ID = "3eb1bd43";
    static final String EXPECTED_MAC = "RitDFEWjJZ34drCcBxe7tgWG3aWLWa1c";

    @Test
    void differentValuesAndKeysGiveDifferentFingerprints() {
        byte[] v = "value".getBytes(StandardCharsets.UTF_8);
        FingerprintKey other = FingerprintKey.of("another key of at least thirty-two bytes");
        assertNotEquals(KEY.fingerprint(v), KEY.fingerprint("valuf".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(KEY.fingerprint(v), other.fingerprint(v));
        assertNotEquals(KEY.id(), other.id());
        assertEquals(KEY.fingerprint(v), KEY.fingerprint(v.clone()));
    }

    @Test
    void parsesOnlyWellFormedTags() {
        Fingerprint fp = KEY.fingerprint(new byte[] {1, 2, 3});
        assertEquals(Optional.of(fp), Fingerprint.parse(fp.tag()));
        assertFalse(Fingerprint.parse(null).isPresent());
        assertFalse(Fingerprint.parse("v2:" + KEY.id() + ":" + fp.mac()).isPresent());
        assertFalse(Fingerprint.parse("v1:" + KEY.id() + ":" + fp.mac() + "x").isPresent());
        assertFalse(Fingerprint.parse("v1:XYZ:" + fp.mac()).isPresent());
    }

    @Test
    void shortKeysAreRefusedAndKeysNeverPrint() {
        var e = assertThrows(IllegalArgumentException.class, () -> FingerprintKey.of("short"));
        assertEquals("the fingerprint key must be at least 32 bytes", e.getMessage());
        assertEquals("FingerprintKey[id=" + KEY.id() + "]", KEY.toString());
        assertTrue(!KEY.toString().contains("0123456789abcdef"));
    }
}
