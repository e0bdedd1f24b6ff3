package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture.SecretView;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership that a tag writer cannot forge (docs/ARCHITECTURE.md, "Ownership claims"), end to end
 * against the emulator: whoever may tag secrets in the vault can copy or invent the product's tags, but not the claim
 * that goes with them, so what they tag is never updated, deleted or adopted, and a state secret they edit stops the
 * sync instead of steering it.
 */
class ClaimsEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(0));

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** Someone with tag rights (and no other) replaces a secret's tags. */
    void retag(String name, Map<String, String> tags) {
        h.f.vaults().updateSecret(UpdateSecretRequest.builder().secretId(h.secret(name).id())
                .updateSecretDetails(UpdateSecretDetails.builder().freeformTags(tags).build()).build());
    }

    Map<String, String> rawTags(String name) {
        return h.secret(name).tags();
    }

    Map<String, String> states() {
        return h.valueSecrets().values().stream()
                .collect(Collectors.toMap(SecretView::name, s -> s.state() + " " + s.value()));
    }

    @Test
    void aSecretSomeoneElseTaggedAsTheSyncsIsNeverUpdatedDeletedOrAdopted() {
        h.source(Map.of("A", "a", "TAKEN", "source"));
        h.seed("TAKEN", "theirs", Map.of(), null);
        assertEquals(List.of("A CREATE DONE", "TAKEN UPDATE DONE"), lines(h.sync()), "the initial run adopts TAKEN");
        // A tag writer copies A's tags, claim included, onto secrets of their own, and invents some.
        h.seed("COPIED", "theirs-1", rawTags("A"), null);
        Map<String, String> invented = new HashMap<>(Harness.productTags("app", "INVENTED", "INVENTED", "x"));
        invented.put("ovs_claim", "v1:00000000:" + "A".repeat(32));
        h.seed("INVENTED", "theirs-2", invented, null);
        h.seed("BARE", "theirs-3", Map.of("ovs_sync", "app", "ovs_key", "BARE"), null);
        Map<String, String> before = states();

        h.source(Map.of("A", "a", "TAKEN", "source", "BARE", "source-value"));
        SyncReport deep = h.sync(q -> q.withForce(true).withVerify(ocivaultsync.reconcile.Verify.DEEP));
        assertEquals(List.of("BARE UPDATE FAILED", "COPIED NONE SKIPPED", "INVENTED NONE SKIPPED"), lines(deep));
        assertEquals("name held by a secret this sync does not own: it is tagged as this sync's, but the claim of its "
                + "tags does not verify (tagged by someone else, or under a fingerprint key this function no longer "
                + "has)", deep.results().get(0).reason());
        assertEquals("tagged as this sync's, but the claim of its tags does not verify: tagged by someone else, or "
                + "under a fingerprint key this function no longer has: never updated, deleted or adopted",
                deep.results().get(1).reason());
        assertEquals(SyncStatus.PARTIAL, deep.status());

        SyncReport removed = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(List.of("A DELETE DONE", "BARE NONE SKIPPED", "COPIED NONE SKIPPED", "INVENTED NONE SKIPPED",
                "TAKEN DELETE DONE"), lines(removed));
        Map<String, String> after = states();
        for (String name : List.of("COPIED", "INVENTED", "BARE")) {
            assertEquals(before.get(name), after.get(name), name + " untouched");
        }
        assertEquals("PENDING_DELETION a", after.get("A"));
    }

    @Test
    void aForgedStateSecretStopsTheSyncInsteadOfMakingItAnInitialRun() {
        h.configure(o -> o.keySchema("app-{{secretKey}}"));
        h.source(Map.of("A", "a"));
        h.sync();
        h.seed("app-UNTAGGED", "users", Map.of(), null);
        // A record that would make the next pass initial, with the force of an open operation: adopt, overwrite and
        // delete every untagged secret that fits.
        h.seed("ovs-state-app.9", "x", Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "99",
                "ovs_initial", "pending", "ovs_open", "true", "ovs_force", "true"), null);
        Map<String, String> before = states();
        long writesBefore = writes();

        for (SyncReport r : List.of(h.pass(), h.sync(q -> q.withForce(true)))) {
            assertEquals(SyncStatus.FAILED, r.status());
            assertTrue(r.error().startsWith("destination: the state secret ovs-state-app.9 ("), r.error());
            assertTrue(r.error().endsWith(") is tagged ovs_state=app but the claim of its tags does not verify: someone "
                    + "other than this function changed them, or signed them under a fingerprint key it no longer has; "
                    + "nothing is planned or written until that secret's deletion is scheduled (the next manual sync, "
                    + "import or remove then records this sync's intent on a new one)"), r.error());
        }
        assertEquals(before, states());
        assertEquals(writesBefore, writes(), "nothing written");

        // Its deletion scheduled, the sync's own record is trusted again; the untagged secret stays someone else's.
        h.f.emulator.vault().force(h.secret("ovs-state-app.9").id(), SecretState.PENDING_DELETION, 0,
                SecretState.PENDING_DELETION);
        assertEquals(List.of(), lines(h.pass()));
        assertEquals("ACTIVE users", states().get("app-UNTAGGED"));
    }

    @Test
    void anEditedStateTagCannotUndoARemove() {
        h.source(Map.of("A", "a", "B", "b"));
        h.sync();
        h.call("remove", "{\"sync\":\"app\"}", Map.of());
        Map<String, String> tags = new HashMap<>(rawTags("ovs-state-app"));
        tags.put("ovs_mode", "active");
        retag("ovs-state-app", tags);

        SyncReport r = h.pass();
        assertEquals(SyncStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("destination: the state secret ovs-state-app ("), r.error());
        assertEquals(Map.of("A", "PENDING_DELETION a", "B", "PENDING_DELETION b"), states(), "nothing restored");
        assertEquals(SyncStatus.FAILED, h.sync().status(), "nor by a manual sync, while the record is not trusted");
        assertEquals(Map.of("A", "PENDING_DELETION a", "B", "PENDING_DELETION b"), states());
    }

    @Test
    void ownedSecretsStayOwnedThroughARotationOfAVaultFingerprintKey() {
        String keyId = h.seed("ovs-fingerprint-key", "fingerprint-key-version-one-0123456789", Map.of(), null);
        h.readPreviousFingerprintKeys().config(ConfigBuilder.withFingerprintKeySecret(keyId)
                .eachSync(s -> h.toEmulator(s.fileSource(h.secretsFile))).sync("app", s -> s.defaultOptions()).wholeVaultWithoutKeySchema());
        h.source(Map.of("A", "a", "B", "b"));
        assertEquals(List.of("A CREATE DONE", "B CREATE DONE"), lines(h.sync()));
        String firstClaim = rawTags("A").get("ovs_claim");

        h.f.vaults().updateSecret(UpdateSecretRequest.builder().secretId(keyId).updateSecretDetails(
                UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                        .content(Harness.b64("fingerprint-key-version-two-0123456789")).build()).build()).build());
        h.resolver.invalidate(keyId); // as the OCI event of the rotation does
        h.source(Map.of("A", "a"));
        SyncReport rotated = h.pass();
        assertEquals(List.of("A UPDATE DONE", "B DELETE DONE"), lines(rotated),
                "A is still the sync's (its tags are written again under the new key), and B still deletable");
        assertEquals(1L, h.secret("A").currentVersionNumber(), "tags only: the value was compared, not rewritten");
        assertFalse(firstClaim.equals(rawTags("A").get("ovs_claim")));
        assertTrue(rawTags("ovs-state-app").get("ovs_claim").startsWith(rawTags("A").get("ovs_claim")
                .substring(0, 12)), "the state secret is signed again under the new key too");
        assertEquals(List.of(), lines(h.pass()));
    }

    private long writes() {
        Map<String, Long> calls = h.f.emulator.calls().snapshot();
        return List.of("CreateSecret", "UpdateSecret", "ScheduleSecretDeletion", "CancelSecretDeletion").stream()
                .mapToLong(c -> calls.getOrDefault(c, 0L)).sum();
    }
}
