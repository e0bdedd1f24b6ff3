package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.FingerprintKey;
import org.junit.jupiter.api.Test;

/** The fingerprint key follows the secret reader: a key rotated in OCI Vault is used as soon as the reader sees it. */
class FingerprintKeysTest {

    @Test
    void aRotatedKeyIsUsedOnceTheReaderReturnsIt() {
        String[] stored = {"fingerprint-key-one-0123456789abcdef"};
        AtomicInteger asked = new AtomicInteger();
        FingerprintKeys keys = new FingerprintKeys(ref -> {
            asked.incrementAndGet();
            return stored[0];
        });
        SecretRef ref = new SecretRef.VaultSecret("ocid1.vaultsecret.oc1.eu-frankfurt-1.fp");
        FingerprintKey first = keys.get(ref);
        assertSame(first, keys.get(ref), "the same text keeps its key");
        stored[0] = "fingerprint-key-two-0123456789abcdef";
        FingerprintKey second = keys.get(ref);
        assertNotEquals(first.id(), second.id());
        assertEquals(3, asked.get(), "the reader is asked on every pass: its cache bounds how stale a key is");
    }
}
