package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.model.ScheduleSecretVersionDeletionDetails;
import com.oracle.bmc.vault.requests.ScheduleSecretVersionDeletionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where one pass meets the next, end to end through the real SDK against the emulator with lifecycle transitions on
 * (as a new user meets them): retries that continue what deferred, initial runs that finish, retry chains that join,
 * and secrets updated more often than OCI keeps versions. Time passes on the emulator's clock, which the runner
 * shares.
 */
class AcrossPassesTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(1500));

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir, Harness.clockOf(EMULATOR.fixture().emulator.clock()));
        h.handlers();
        h.requeuer.clock = Harness.clockOf(EMULATOR.fixture().emulator.clock());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    void settle() {
        h.f.emulator.clock().advance(Duration.ofSeconds(2));
    }

    /** Delivers a retry or hand-off as the platform would, due now. */
    RunReport deliver(RetryMessage m) {
        try {
            return h.call("event", JSON.writeValueAsString(m.at(m.attempt(), Instant.EPOCH).toJson()), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String id(String name) {
        return (String) h.vault().get(name).get("id");
    }

    @Test
    void aRemoveThatDefersKeepsRemovingOnItsRetryAndRestoresNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("B"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(List.of("A DELETE DONE", "B DELETE DEFERRED"), lines(removal));
        RetryMessage retry = h.requeuer.retries.get(0);
        assertEquals(Operation.REMOVE, retry.operation());
        assertEquals(Trigger.MANUAL, retry.origin());

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        RunReport r = deliver(retry);
        assertEquals(Trigger.RETRY, r.trigger());
        assertEquals(List.of("B DELETE DONE"), lines(r.syncs().get(0)));
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "not restored by the retry");
        assertEquals("PENDING_DELETION", h.state("B"));
    }

    @Test
    void aSyncRetryThatFiresAfterALaterRemoveIsSupersededAndRestoresNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "changed", "B", "2"));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(h.sync()));
        RetryMessage stale = h.requeuer.retries.get(0);
        assertEquals(Operation.SYNC, stale.operation());

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport removal = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(List.of("A DELETE DONE", "B DELETE DONE"), lines(removal));
        settle();
        assertEquals("remove", h.tags("ovs-state-app").get("ovs_op"), "the remove recorded itself first");

        SyncReport late = deliver(stale).syncs().get(0);
        assertEquals(SyncStatus.SKIPPED, late.status());
        assertEquals("superseded: a later remove was asked for on this sync after this sync started, and the newest "
                + "explicit operation wins", late.error());
        assertEquals(new OciCalls(1, 0, 0), late.ociCalls(), "it only listed");
        assertEquals(1, h.requeuer.retries.size(), "and leaves no retry");
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "not restored by the stale retry");
        assertEquals("PENDING_DELETION", h.state("B"));
    }

    @Test
    void aSyncRetryThatMeetsARemoveRecordedWhileItFetchedTheSourceWritesNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "changed", "B", "2"));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(h.sync()));
        RetryMessage retry = h.requeuer.retries.get(0);
        h.f.emulator.clock().advance(Duration.ofSeconds(62));

        AtomicBoolean asked = new AtomicBoolean();
        h.wrapSource(source -> new ocivaultsync.source.SecretSource() {
            @Override
            public ocivaultsync.source.SourceSnapshot fetch() {
                if (asked.compareAndSet(false, true)) { // the user removes the sync while the retry reads the source
                    assertEquals(List.of("A DELETE DONE", "B DELETE DONE"),
                            lines(h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0)));
                }
                return source.fetch();
            }

            @Override
            public Map<String, ocivaultsync.apply.ImportSink.Outcome> write(
                    Map<String, ocivaultsync.reconcile.SecretValue> imported) {
                return source.write(imported);
            }
        });
        SyncReport late = deliver(retry).syncs().get(0);
        assertEquals(SyncStatus.SKIPPED, late.status());
        assertEquals("superseded: a later remove was asked for on this sync after this sync started, and the newest "
                + "explicit operation wins", late.error());
        assertEquals(0, late.ociCalls().write());
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "the retry did not bring A back");
    }

    @Test
    void aRemoveRetryThatFiresAfterALaterSyncIsSupersededAndDeletesNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("B"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(List.of("A DELETE DONE", "B DELETE DEFERRED"), lines(removal));
        RetryMessage stale = h.requeuer.retries.get(0);

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport sync = h.sync();
        assertEquals(List.of("A RESTORE DONE"), lines(sync), "the user changed their mind: A comes back");
        settle();
        assertEquals("sync", h.tags("ovs-state-app").get("ovs_op"));

        SyncReport late = deliver(stale).syncs().get(0);
        assertEquals(SyncStatus.SKIPPED, late.status());
        assertEquals("superseded: a later sync was asked for on this sync after this remove started, and the newest "
                + "explicit operation wins", late.error());
        settle();
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("ACTIVE", h.state("B"), "not deleted by the stale retry");
        SyncReport steady = h.sync();
        assertEquals(new OciCalls(1, 0, 0), steady.ociCalls(), "a manual sync the record already names writes nothing");
    }

    @Test
    void aPassOfASyncAllThatReachesASyncAfterALaterRemoveIsSuperseded() {
        h.source(Map.of("A", "1")).sync();
        settle();
        Instant syncAllBegan = h.f.emulator.clock().now();
        h.f.emulator.clock().advance(Duration.ofSeconds(1));
        assertEquals(List.of("A DELETE DONE"), lines(h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0)));
        settle();
        // The "sync all" asked for before the remove reaches this sync only now, in the same or another container.
        SyncReport late = h.runner().run(h.config(), RunRequest.manual("app", false).withSince(syncAllBegan)).syncs()
                .get(0);
        assertEquals(SyncStatus.SKIPPED, late.status());
        assertEquals("superseded: a later remove was asked for on this sync after this sync started, and the newest "
                + "explicit operation wins", late.error());
        assertEquals("PENDING_DELETION", h.state("A"));
        assertEquals("remove", h.tags("ovs-state-app").get("ovs_op"), "the record did not go backwards");
    }

    @Test
    void aRemoveOnAStateSecretAnOlderReleaseScheduledForDeletionCancelsItAndRecordsItself() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.seed("ovs-state-app", "state", Map.of("ovs_state", "app", "ovs_initial", "done"),
                SecretState.PENDING_DELETION);
        SyncReport first = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        // Production waits up to about 16 s (its back-off) for CANCELLING_DELETION to end; this harness waits
        // milliseconds against the emulator's 1.5 s transition, so the first remove meets it and fails cleanly.
        assertEquals(List.of("A DELETE FAILED", "ovs-state-app NONE FAILED"), lines(first));
        assertEquals("ACTIVE", h.state("A"), "nothing of the plan was written");
        settle();
        assertEquals(List.of("A DELETE DONE"), lines(h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs()
                .get(0)));
        settle();
        assertEquals("ACTIVE", h.state("ovs-state-app"), "its deletion cancelled: it keeps the record");
        assertEquals("remove", h.tags("ovs-state-app").get("ovs_op"));
        assertEquals("PENDING_DELETION", h.state("A"));
    }

    @Test
    void anExplicitOperationThatCannotRecordItselfWritesNothingAndLeavesNoRetry() {
        h.source(Map.of("A", "1")).sync();
        settle();
        // The state secret another container just wrote, still UPDATING for a minute.
        h.seed("ovs-state-app", "state", Map.of("ovs_state", "app", "ovs_initial", "done"), null);
        h.f.emulator.vault().force(id("ovs-state-app"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(SyncStatus.FAILED, removal.status());
        assertEquals(List.of("A DELETE FAILED", "ovs-state-app NONE FAILED"), lines(removal));
        assertEquals("this sync's state could not be recorded first: OCI IncorrectState (HTTP 409, opc-request-id "
                + "…): The secret is in state UPDATING; it must be ACTIVE to be updated; nothing of the plan was "
                + "written, run the remove again", removal.results().get(1).reason().replaceFirst("^[^:]*: ", "")
                        .replaceFirst("opc-request-id [^)]*", "opc-request-id …"));
        assertEquals(List.of(), h.requeuer.retries, "no retry that the record would not know of");
        assertEquals(1, removal.ociCalls().write(), "only the refused attempt to record itself");
        assertEquals("ACTIVE", h.state("A"));
        assertEquals(Map.of("ovs_state", "app", "ovs_initial", "done"), h.tags("ovs-state-app"));
    }

    @Test
    void anInitialRunThatCannotFinishIsFinishedByTheNextPass() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "mine", "B", "2"));
        SyncReport first = h.sync();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DONE"), lines(first));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = h.sync();
        assertTrue(second.initial(), "still initial: an adoption was outstanding");
        assertEquals(List.of("A UPDATE DONE"), lines(second));
        assertEquals("adopted by the initial sync: the source value replaces the destination's",
                second.results().get(0).reason());
        settle();
        assertEquals("mine", h.value("A"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
        SyncReport third = h.sync();
        assertFalse(third.initial());
        assertEquals(List.of(), third.results());
        assertEquals(new OciCalls(1, 0, 0), third.ociCalls(), "a steady pass costs the list call only");
    }

    @Test
    void aPendingInitialRunDoesNotReachUntaggedSecretsCreatedAfterItBegan() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        Instant began = h.f.emulator.clock().now();
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DONE"), lines(h.source(Map.of("A", "mine", "B", "2"))
                .sync()));
        Instant ended = h.f.emulator.clock().now();
        Map<String, String> marker = h.tags("ovs-state-app");
        assertEquals("pending", marker.get("ovs_initial"));
        long since = Long.parseLong(marker.get("ovs_initial_since"));
        assertTrue(since >= began.toEpochMilli() && since <= ended.toEpochMilli(), "when the pass began: " + since);

        h.f.emulator.clock().advance(Duration.ofSeconds(1));
        h.seed("C", "made by a user while the initial run was pending", Map.of(), null);
        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = h.sync(q -> q.withForce(true));
        assertTrue(second.initial(), "still initial: the adoption of A was outstanding");
        assertEquals(List.of("A UPDATE DONE"), lines(second), "C is not the initial run's to delete, even forced");
        settle();
        assertEquals("made by a user while the initial run was pending", h.value("C"));
        assertEquals(Map.of(), h.tags("C"));
        assertEquals(Map.of("ovs_state", "app", "ovs_initial", "done"), h.tags("ovs-state-app"));
    }

    @Test
    void anInitialPassWhoseStateCannotBeRecordedFirstWritesNothingAndTheNextPassIsStillInitial() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        AtomicBoolean failed = new AtomicBoolean();
        h.wrapVault(v -> SyncEndToEndTest.Racing.onCreateOf(v, name -> {
            if (name.equals("ovs-state-app") && failed.compareAndSet(false, true)) {
                throw new ocivaultsync.apply.VaultException(ocivaultsync.apply.VaultException.Kind.TRANSIENT,
                        500, "InternalServerError", "injected", null);
            }
        }));
        h.source(Map.of("A", "mine", "B", "2"));
        SyncReport first = h.sync();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DEFERRED", "ovs-state-app NONE DEFERRED"), lines(first));
        assertFalse(h.vault().containsKey("B"), "nothing written before the state");

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = h.sync();
        assertTrue(second.initial(), "still initial: nothing of the initial run was done");
        assertEquals(List.of("A UPDATE DONE", "B CREATE DONE"), lines(second));
        settle();
        assertEquals("mine", h.value("A"));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"), "created this pass, still CREATING");
        assertEquals(List.of(), lines(h.sync()));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"), "the next pass finds nothing outstanding");
    }

    @Test
    void aStateSecretAnotherContainerCreatedMeanwhileIsTakenOverNotAFailure() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        AtomicBoolean raced = new AtomicBoolean();
        h.wrapVault(v -> SyncEndToEndTest.Racing.onCreateOf(v, name -> {
            if (name.equals("ovs-state-app") && raced.compareAndSet(false, true)) {
                h.seed(name, "state", Map.of("ovs_state", "app", "ovs_initial", "done"), null);
            }
        }));
        SyncReport first = h.source(Map.of("A", "mine")).sync();
        assertEquals(List.of("A UPDATE DEFERRED"), lines(first));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));
        assertEquals(1, h.f.emulator.vault().snapshot().stream().filter(s -> "ovs-state-app".equals(s.get("name")))
                .count());
    }

    @Test
    void aStateSecretARemoveScheduledForDeletionIsCancelledAndUsedAgain() {
        h.seed("ovs-state-app", "state", Map.of("ovs_state", "app", "ovs_initial", "done"),
                SecretState.PENDING_DELETION);
        h.seed("A", "theirs", Map.of(), null);
        h.source(Map.of("A", "mine"));
        SyncReport first = h.sync();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "ovs-state-app NONE DEFERRED"), lines(first),
                "the state secret is still CANCELLING_DELETION: nothing else is written");
        settle();
        SyncReport second = h.sync();
        assertEquals(List.of("A UPDATE DONE"), lines(second));
        settle();
        assertEquals("ACTIVE", h.state("ovs-state-app"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
        assertEquals("mine", h.value("A"));
    }

    @Test
    void aUsersSecretNamedLikeTheStateSecretIsNeverTouchedAndTheInitialRunFailsNamingIt() {
        h.seed("ovs-state-app", "users own", Map.of("team", "x"), null);
        h.seed("A", "theirs", Map.of(), null);
        SyncReport r = h.source(Map.of("A", "mine")).sync();
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("destination: the secret ovs-state-app holds the name of this sync's state secret but is not one "
                + "(no ovs_state tag naming this sync); this sync records its state under that name, so "
                + "rename or delete that secret", r.error());
        assertEquals("users own", h.value("ovs-state-app"));
        assertEquals(Map.of("team", "x"), h.tags("ovs-state-app"));
        assertEquals("theirs", h.value("A"));
    }

    @Test
    void aForcedRerunAfterAGuardedInitialRunDeletesWhatTheGuardWithheld() {
        for (int i = 1; i <= 4; i++) {
            h.seed("X" + i, "old", Map.of(), null);
        }
        SyncReport guarded = h.source(Map.of("A", "1")).sync();
        assertEquals(List.of("A CREATE DONE", "X1 DELETE BLOCKED", "X2 DELETE BLOCKED", "X3 DELETE BLOCKED",
                "X4 DELETE BLOCKED"), lines(guarded));
        settle();
        SyncReport forced = h.sync(q -> q.withForce(true));
        assertTrue(forced.initial());
        assertEquals(List.of("X1 DELETE DONE", "X2 DELETE DONE", "X3 DELETE DONE", "X4 DELETE DONE"), lines(forced));
        settle();
        assertEquals("PENDING_DELETION", h.state("X1"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
    }

    @Test
    void anAutomaticTriggerJoinsThePendingRetryChainInsteadOfStartingAnother() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "2"));
        SyncReport first = h.call("event", "{\"trigger\":\"schedule\"}", Map.of()).syncs().get(0);
        assertEquals(SyncStatus.DEFERRED, first.status());
        assertEquals(1, h.requeuer.retries.size());

        SyncReport joined = h.call("event", "{\"trigger\":\"schedule\"}", Map.of()).syncs().get(0);
        assertEquals("joined the retry already pending for this sync in this container", joined.error());
        assertEquals(OciCalls.NONE, joined.ociCalls(), "nothing ran");
        assertEquals(first.retry(), joined.retry());
        assertEquals(1, h.requeuer.retries.size(), "one chain: no second timer or self-invocation");

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        assertEquals(List.of("A UPDATE DONE"), lines(deliver(h.requeuer.retries.get(0)).syncs().get(0)));
        assertEquals(1, h.requeuer.retries.size());
        settle();
        assertEquals("2", h.value("A"));
    }

    /** An automatic trigger of this sync, as the event and webhook paths build it. */
    SyncReport automatic(Trigger t, Map<String, java.util.Set<String>> deep) {
        return h.runner().run(h.config(), RunRequest.manual("app", false).withTrigger(t).withDeepSecretIds(deep))
                .syncs().get(0);
    }

    /** Makes a fast retry pending for sync app: A is UPDATING for a minute and the source changed. */
    SyncReport pendingFastRetry() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "2"));
        SyncReport first = automatic(Trigger.SCHEDULE, Map.of());
        assertEquals(SyncStatus.DEFERRED, first.status());
        assertEquals(1, h.requeuer.retries.size());
        return first;
    }

    @Test
    void anEventWithDeepIdsDoesNotJoinAFastRetryThatWouldNotCheckThem() {
        pendingFastRetry();
        SyncReport event = automatic(Trigger.OCI_EVENT, Map.of("app", java.util.Set.of(id("A"))));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(event), "it ran: the pending retry would not deep-check A");
        assertEquals(2, h.requeuer.retries.size(), "its deep work gets a retry of its own");
        assertEquals(java.util.Set.of(id("A")), h.requeuer.retries.get(1).deepSecretIds());
        SyncReport same = automatic(Trigger.OCI_EVENT, Map.of("app", java.util.Set.of(id("A"))));
        assertEquals("joined the retry already pending for this sync in this container", same.error(),
                "the deep retry covers the same event again");
    }

    @Test
    void aManualRunThatDefersSchedulesItsOwnRetryWithItsOwnOptions() {
        pendingFastRetry();
        SyncReport manual = h.sync(q -> q.withForce(true).withVerify(ocivaultsync.reconcile.Verify.DEEP));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(manual), "a manual run runs");
        assertEquals(2, h.requeuer.retries.size(), "not the pending chain: that one is neither forced nor deep");
        RetryMessage own = h.requeuer.retries.get(1);
        assertEquals(List.of("true", "DEEP", "manual"), List.of(String.valueOf(own.force()), own.verify().name(),
                own.origin().wire()));
        assertEquals(own.notBefore().toString(), manual.retry().notBefore());
    }

    @Test
    void aDueRetryNoLongerSwallowsTriggers() {
        SyncReport first = pendingFastRetry();
        h.f.emulator.clock().advance(Duration.ofSeconds(20)); // the retry is due, perhaps already run elsewhere
        SyncReport webhook = automatic(Trigger.INFISICAL_WEBHOOK, Map.of());
        assertEquals(List.of("A UPDATE DEFERRED"), lines(webhook), "it ran instead of joining a retry that is due");
        assertFalse(first.retry().equals(webhook.retry()));
    }

    @Test
    void aHandedOffManualRunOfAllSyncsRunsSyncsWithAutoSyncOff() {
        h.raw("""
                fingerprintKey: {value: e2e-fingerprint-key-0123456789abcdef}
                syncs:
                  - name: one
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "one-{{secretKey}}"}
                  - name: manual
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "manual-{{secretKey}}", autoSync: false}
                """, null);
        h.source(Map.of("A", "1"));
        RunReport r = h.runner().run(h.config(), h.config().syncs(),
                RunRequest.manual(null, false).withDeadline(Instant.now().plusSeconds(5)));
        assertEquals(List.of(SyncStatus.DEFERRED, SyncStatus.DEFERRED), r.syncs().stream().map(SyncReport::status)
                .toList());
        RetryMessage handOff = h.requeuer.handOffs.get(1);
        assertEquals(List.of("manual", "manual", "0"), List.of(handOff.sync(), handOff.origin().wire(),
                String.valueOf(handOff.attempt())));
        SyncReport ran = deliver(handOff).syncs().get(0);
        assertEquals(List.of("manual-A CREATE DONE"), lines(ran), "not SKIPPED: the caller was told DEFERRED");
    }

    @Test
    void aRePlannedImportAfterNameAlreadyExistsImportsIntoTheSource() {
        h.configure("initialSyncBehavior: import-prioritize-destination");
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.clock().advance(Duration.ofSeconds(1));
        AtomicBoolean shifted = new AtomicBoolean();
        // A listing whose pages shifted misses A: the create meets it, and the pass decides the name again.
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> { }) {
            @Override
            public List<ocivaultsync.reconcile.DestinationSecret> list(ocivaultsync.reconcile.Destination t) {
                List<ocivaultsync.reconcile.DestinationSecret> all = super.list(t);
                return shifted.compareAndSet(false, true) ? all.stream().filter(s -> !s.name().equals("A")).toList()
                        : all;
            }
        });
        SyncReport r = h.source(Map.of("A", "mine")).sync();
        assertEquals(List.of("A IMPORT DONE"), lines(r));
        assertEquals(Map.of("A", "theirs"), h.sourceFile(), "imported, not only retagged");
        assertEquals("app", h.tags("A").get("ovs_sync"));
    }

    @Test
    void aSecretThatTakesANameDuringTheInitialPassIsNotTheInitialRunsToAdopt() {
        h.configure("initialSyncBehavior: overwrite-destination");
        AtomicBoolean raced = new AtomicBoolean();
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> {
            if (raced.compareAndSet(false, true)) {
                h.f.emulator.clock().advance(Duration.ofSeconds(1));
                h.seed("A", "theirs", Map.of(), null); // another writer, between our list and our create
            }
        }));
        SyncReport r = h.source(Map.of("A", "mine")).sync();
        assertEquals(List.of("A UPDATE FAILED"), lines(r));
        assertTrue(r.results().get(0).reason().startsWith("name held by a secret this sync does not own"),
                r.results().get(0).reason());
        assertEquals("theirs", h.value("A"), "made after the initial run began: someone else's, never overwritten");
    }

    @Test
    void aSecretUpdatedAHundredTimesKeepsSyncingAndKeepsTenVersions() {
        h.source(Map.of("TOKEN", "v0")).sync();
        for (int i = 1; i <= 100; i++) {
            h.f.emulator.clock().advance(Duration.ofHours(1)); // a rotated token: transitions and windows pass
            SyncReport r = h.source(Map.of("TOKEN", "v" + i)).sync();
            assertEquals(List.of("TOKEN UPDATE DONE"), lines(r), "update " + i + ": " + r.results());
            assertEquals("the source value changed", r.results().get(0).reason(), "update " + i);
        }
        settle();
        assertEquals("v100", h.value("TOKEN"));
        assertEquals(11, inUse("TOKEN"), "the last update's prune waits for a pass that sees the secret ACTIVE");
        assertEquals(List.of(), lines(h.sync()));
        assertEquals(10, inUse("TOKEN"), "keepVersions, default 10");
    }

    long inUse(String name) {
        List<Map<String, Object>> versions = h.f.emulator.vault().listVersions(id(name), 200, 0, false).items();
        return versions.stream().filter(v -> v.get("timeOfDeletion") == null).count();
    }

    @Test
    void anUpdateThatMeetsOcisLimitOfThirtyVersionsPrunesAndTriesOnceMore() {
        h.source(Map.of("TOKEN", "v0")).sync();
        settle();
        // Another container wrote 29 more versions (same value): this one does not know the secret is due.
        String b64 = java.util.Base64.getEncoder().encodeToString("v0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < 29; i++) {
            h.f.emulator.vault().update(id("TOKEN"), new ocivaultsync.emulator.SecretUpdate(null, b64,
                    null, false, null, null, null, null), null);
            settle();
        }
        assertEquals(30, inUse("TOKEN"));
        SyncReport r = h.source(Map.of("TOKEN", "v1")).sync();
        assertEquals(List.of("TOKEN UPDATE DONE"), lines(r), r.results().toString());
        settle();
        assertEquals("v1", h.value("TOKEN"));
        assertEquals(10, inUse("TOKEN"), "pruned to 9, then the new version");
    }

    @Test
    void theEmulatorRefusesAVersionDeletionWhileTheSecretIsUpdating() {
        h.source(Map.of("A", "1")).sync();
        for (int i = 2; i <= 3; i++) {
            settle();
            h.source(Map.of("A", String.valueOf(i))).sync();
        }
        assertEquals("UPDATING", h.stateNow("A"));
        BmcException e = assertThrows(BmcException.class, () -> h.f.vaults().scheduleSecretVersionDeletion(
                ScheduleSecretVersionDeletionRequest.builder().secretId((String) h.f.emulator.vault().snapshot()
                        .get(0).get("id")).secretVersionNumber(1L)
                        .scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails.builder()
                                .timeOfDeletion(Date.from(h.f.emulator.clock().now().plus(Duration.ofDays(2))))
                                .build()).build()));
        assertEquals("409 IncorrectState", e.getStatusCode() + " " + e.getServiceCode());
    }

    @Test
    void theEmulatorRefusesToDeleteTheCurrentOrPreviousVersionAsOciDoes() {
        h.source(Map.of("A", "1")).sync();
        for (int i = 2; i <= 3; i++) {
            h.f.emulator.clock().advance(Duration.ofSeconds(2));
            h.source(Map.of("A", String.valueOf(i))).sync();
        }
        settle();
        Map<Long, String> refused = new LinkedHashMap<>();
        for (long n = 2; n <= 3; n++) {
            long version = n;
            BmcException e = assertThrows(BmcException.class, () -> h.f.vaults().scheduleSecretVersionDeletion(
                    ScheduleSecretVersionDeletionRequest.builder().secretId(id("A")).secretVersionNumber(version)
                            .scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails.builder()
                                    .timeOfDeletion(Date.from(h.f.emulator.clock().now().plus(Duration.ofDays(2))))
                                    .build()).build()));
            refused.put(version, e.getStatusCode() + " " + e.getServiceCode());
        }
        assertEquals(Map.of(2L, "409 IncorrectState", 3L, "409 IncorrectState"), refused, "PREVIOUS, CURRENT");
        h.f.vaults().scheduleSecretVersionDeletion(ScheduleSecretVersionDeletionRequest.builder().secretId(id("A"))
                .secretVersionNumber(1L).scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails
                        .builder().timeOfDeletion(Date.from(h.f.emulator.clock().now().plus(Duration.ofDays(2))))
                        .build()).build());
        assertNull(h.f.emulator.vault().listVersions(id("A"), 10, 0, false).items().get(1).get("timeOfDeletion"));
        assertTrue(h.f.emulator.vault().listVersions(id("A"), 10, 0, false).items().get(0).get("timeOfDeletion")
                != null, "DEPRECATED version 1 is pending deletion");
    }
}
