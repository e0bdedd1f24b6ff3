package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What makes a secret a sync's own: tags only this function can write (docs/ARCHITECTURE.md, "Ownership claims"). */
class ClaimsTest {

    static final FingerprintKey KEY = FingerprintKey.of("0123456789abcdef0123456789abcdef");
    static final FingerprintKey NEW_KEY = FingerprintKey.of("the rotated fingerprint key, 32 bytes+");
    static final Claims CLAIMS = Claims.of(KEY);

    static DestinationSecret secret(String name, Map<String, String> tags) {
        return new DestinationSecret("id-" + name, name, LifecycleState.ACTIVE, tags, null);
    }

    static Map<String, String> written(String sync, String name, String key) {
        return CLAIMS.valueTags(sync, name, key, CLAIMS.fingerprint(sync, key, SecretValue.ofUtf8("v")));
    }

    @Test
    void aValueClaimSignsTheSyncTheNameAndTheKey() {
        // Computed independently with Python (see FingerprintTest): purpose "ovs-claim-v1", then sync, name, key.
        assertEquals("v1:3eb1bd43:XISxkscpTQjiSpJSSq_jRFh4VyRdIilK",
                written("app", "app-DB_PASS", "DB_PASS").get(OwnershipTags.CLAIM));
    }

    @Test
    void onlyTagsThisFunctionWroteMakeASecretTheSyncs() {
        Map<String, String> tags = written("app", "app-A", "A");
        assertTrue(CLAIMS.owns(secret("app-A", tags), "app"));
        assertFalse(CLAIMS.claimsFalsely(secret("app-A", tags), "app"));
        assertFalse(CLAIMS.owns(secret("app-A", tags), "web"), "another sync's name");
        assertFalse(CLAIMS.claimsFalsely(secret("app-A", tags), "web"), "names another sync: not a claim on this one");

        Map<String, Map<String, String>> forged = Map.of(
                "no claim", without(tags, OwnershipTags.CLAIM),
                "copied to another name", tags,
                "another key", with(tags, OwnershipTags.KEY, "B"),
                "another sync", with(tags, OwnershipTags.SYNC, "web"),
                "no key", without(tags, OwnershipTags.KEY),
                "a claim of another form", with(tags, OwnershipTags.CLAIM, "v1:3eb1bd43:short"),
                "a claim under an unknown key", with(tags, OwnershipTags.CLAIM,
                        tags.get(OwnershipTags.CLAIM).replace("3eb1bd43", "00000000")));
        forged.forEach((what, t) -> {
            String name = what.equals("copied to another name") ? "app-B" : "app-A";
            String sync = t.get(OwnershipTags.SYNC);
            assertFalse(CLAIMS.owns(secret(name, t), sync), what);
            assertTrue(CLAIMS.claimsFalsely(secret(name, t), sync), what);
        });
    }

    @Test
    void aStateClaimCoversEveryTagOfTheRecordAndItsName() {
        Map<String, String> record = Map.of(OwnershipTags.STATE, "app", OwnershipTags.MODE, "active",
                OwnershipTags.GEN, "1", OwnershipTags.OP, "sync", OwnershipTags.INITIAL, "done");
        Map<String, String> signed = CLAIMS.signState("app", "ovs-state-app", record);
        // Computed independently with Python: purpose "ovs-state-v1", sync, name, then each present tag "name=value".
        assertEquals("v1:3eb1bd43:G8arN1Y4DkA3zDgaHikK0eRAQK2iLbhZ", signed.get(OwnershipTags.CLAIM));
        assertTrue(CLAIMS.verifiesState(secret("ovs-state-app", signed)));
        assertTrue(CLAIMS.verifiesState(secret("ovs-state-app", with(signed, "cost-center", "42"))),
                "someone else's tags are not the record's");
        for (var edit : Map.of(OwnershipTags.MODE, "removed", OwnershipTags.GEN, "9", OwnershipTags.INITIAL, "pending",
                OwnershipTags.FORCE, "true", OwnershipTags.OPEN, "true", OwnershipTags.VERIFY, "deep",
                OwnershipTags.INITIAL_SINCE, "0", OwnershipTags.OP, "remove").entrySet()) {
            assertFalse(CLAIMS.verifiesState(secret("ovs-state-app", with(signed, edit.getKey(), edit.getValue()))),
                    edit.toString());
        }
        assertFalse(CLAIMS.verifiesState(secret("ovs-state-app.2", signed)), "copied to another name");
        assertFalse(CLAIMS.verifiesState(secret("ovs-state-app", with(signed, OwnershipTags.STATE, "web"))));
        assertFalse(CLAIMS.verifiesState(secret("ovs-state-app", without(signed, OwnershipTags.GEN))),
                "a tag taken away");
        assertFalse(CLAIMS.verifiesState(secret("ovs-state-app", record)), "no claim");
    }

    @Test
    void aRotationKeepsClaimsUnderThePreviousKeyValidUntilWrittenAgain() {
        Map<String, String> old = written("app", "app-A", "A");
        Claims rotated = Claims.of(NEW_KEY, Optional.of(KEY));
        assertTrue(rotated.owns(secret("app-A", old), "app"));
        assertFalse(rotated.underCurrentKey(old));
        Map<String, String> again = rotated.valueTags("app", "app-A", "A",
                rotated.fingerprint("app", "A", SecretValue.ofUtf8("v")));
        assertTrue(rotated.underCurrentKey(again));
        assertFalse(Claims.of(NEW_KEY).owns(secret("app-A", old), "app"), "two rotations on: no longer verifiable");
        assertEquals("Claims[key=" + NEW_KEY.id() + ", previous=" + KEY.id() + "]", rotated.toString(),
                "keys never print");
    }

    private static Map<String, String> with(Map<String, String> tags, String k, String v) {
        Map<String, String> out = new HashMap<>(tags);
        out.put(k, v);
        return out;
    }

    private static Map<String, String> without(Map<String, String> tags, String k) {
        Map<String, String> out = new HashMap<>(tags);
        out.remove(k);
        return out;
    }
}
