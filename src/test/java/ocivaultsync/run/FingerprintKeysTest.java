package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.Claims;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import org.junit.jupiter.api.Test;

/** The fingerprint key follows the secret reader: a key rotated in OCI Vault is used as soon as the reader sees it. */
class FingerprintKeysTest {

    static final String ONE = "fingerprint-key-one-0123456789abcdef";
    static final String TWO = "fingerprint-key-two-0123456789abcdef";
    static final SecretRef REF = new SecretRef.VaultSecret("ocid1.vaultsecret.oc1.eu-frankfurt-1.fp");

    @Test
    void aRotatedKeyIsUsedOnceTheReaderReturnsIt() {
        String[] stored = {ONE};
        AtomicInteger asked = new AtomicInteger();
        FingerprintKeys keys = new FingerprintKeys(ref -> {
            asked.incrementAndGet();
            return stored[0];
        });
        Claims first = keys.get(REF);
        assertSame(first, keys.get(REF), "the same text keeps its key");
        stored[0] = TWO;
        Claims second = keys.get(REF);
        assertNotEquals(first.keyId(), second.keyId());
        assertEquals(3, asked.get(), "the reader is asked on every pass: its cache bounds how stale a key is");
    }

    @Test
    void claimsMadeUnderThePreviousVersionVerifyAfterARotationAndThePreviousIsReadOnlyWhenTheKeyChanges() {
        String[] stored = {ONE};
        List<String> previousReads = new ArrayList<>();
        FingerprintKeys keys = new FingerprintKeys(ref -> stored[0], id -> {
            previousReads.add(id);
            return stored[0].equals(TWO) ? Optional.of(ONE) : Optional.empty();
        });
        Claims before = keys.get(REF);
        DestinationSecret written = secret(before.valueTags("app", "app-A", "A",
                before.fingerprint("app", "A", SecretValue.ofUtf8("v"))));
        keys.get(REF);
        assertEquals(1, previousReads.size(), "read once per key a container sees, not per pass");
        stored[0] = TWO;
        Claims after = keys.get(REF);
        assertEquals(2, previousReads.size());
        assertTrue(after.owns(written, "app"), "signed under the previous version: still this sync's");
        assertFalse(after.underCurrentKey(written.freeformTags()), "and due to be signed again");
        assertFalse(Claims.of(FingerprintKey.of(TWO)).owns(written, "app"), "without the previous version it is not");
    }

    @Test
    void anInlineKeyHasNoPreviousVersion() {
        List<String> previousReads = new ArrayList<>();
        FingerprintKeys keys = new FingerprintKeys(ref -> ONE, id -> {
            previousReads.add(id);
            return Optional.of(TWO);
        });
        keys.get(new SecretRef.Inline(ONE));
        assertEquals(List.of(), previousReads);
    }

    private static DestinationSecret secret(Map<String, String> tags) {
        return new DestinationSecret("id", "app-A", LifecycleState.ACTIVE, tags, null);
    }
}
