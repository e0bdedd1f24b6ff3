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
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where one pass meets the next, end to end through the real SDK against the emulator with lifecycle transitions on
 * (as a new user meets them): nudges that reconcile toward the recorded intent, initial runs that finish, triggers
 * folded into a running pass or a pending nudge, and secrets updated more often than OCI keeps versions. Time passes
 * on the emulator's clock, which the runner shares. Two containers and skewed clocks: {@link LastWordTest}.
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
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    void settle() {
        h.f.emulator.clock().advance(Duration.ofSeconds(2));
    }

    /** Delivers a nudge (a retry or hand-off) as the platform would, due now. */
    RunReport deliver(Nudge n) {
        try {
            return h.call("event", JSON.writeValueAsString(n.at(n.attempt(), Instant.EPOCH).toJson()), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An hourly schedule's pass. */
    SyncReport schedule() {
        return h.call("event", "{\"trigger\":\"schedule\"}", Map.of()).syncs().get(0);
    }

    SyncReport remove() {
        return h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
    }

    String id(String name) {
        return (String) h.vault().get(name).get("id");
    }

    @Test
    void aRemoveThatDefersIsFinishedByItsNudgeWhichRestoresNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("B"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = remove();
        assertEquals(List.of("A DELETE DONE", "B DELETE DEFERRED"), lines(removal));
        Nudge nudge = h.requeuer.retries.get(0);
        assertEquals(new Nudge("app", 1, Instant.parse(removal.retry().notBefore()), java.util.Set.of()), nudge,
                "reconcile app again: nothing else");

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        RunReport r = deliver(nudge);
        assertEquals(Trigger.RETRY, r.trigger());
        assertEquals(List.of("B DELETE DONE"), lines(r.syncs().get(0)), "the recorded mode says removed");
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "not restored by the nudge");
        assertEquals("PENDING_DELETION", h.state("B"));
        assertEquals(null, h.tags("ovs-state-app").get("ovs_open"), "the remove's work is done");
    }

    @Test
    void aSyncsNudgeThatFiresAfterALaterRemoveFinishesTheRemovalAndRestoresNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "changed", "B", "2"));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(h.sync()));
        Nudge late = h.requeuer.retries.get(0);

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        assertEquals(List.of("A DELETE DONE", "B DELETE DONE"), lines(remove()));
        settle();
        assertEquals("removed", h.tags("ovs-state-app").get("ovs_mode"), "the remove recorded itself first");

        SyncReport r = deliver(late).syncs().get(0);
        assertEquals(SyncStatus.SUCCEEDED, r.status());
        assertEquals(List.of(), lines(r), "both already pending deletion: nothing to do");
        assertEquals(new OciCalls(1, 0, 0), r.ociCalls(), "it only listed");
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "not restored by the nudge");
        assertEquals("PENDING_DELETION", h.state("B"));
    }

    @Test
    void aNudgeThatMeetsARemoveRecordedWhileItReadTheSourceWritesNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "changed", "B", "2"));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(h.sync()));
        Nudge nudge = h.requeuer.retries.get(0);
        h.f.emulator.clock().advance(Duration.ofSeconds(62));

        AtomicBoolean asked = new AtomicBoolean();
        // The nudge reads the source after it has listed the vault: the remove comes then.
        java.util.concurrent.CountDownLatch listed = new java.util.concurrent.CountDownLatch(1);
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> { }) {
            @Override
            public List<ocivaultsync.reconcile.DestinationSecret> list(ocivaultsync.reconcile.Destination t) {
                try {
                    return super.list(t);
                } finally {
                    listed.countDown();
                }
            }
        });
        h.wrapSource(source -> new ocivaultsync.source.SecretSource() {
            @Override
            public ocivaultsync.source.SourceSnapshot fetch() {
                if (asked.compareAndSet(false, true)) { // the user removes the sync while the nudge reads the source
                    try {
                        assertTrue(listed.await(30, java.util.concurrent.TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    assertEquals(List.of("A DELETE DONE", "B DELETE DONE"), lines(remove()));
                }
                return source.fetch();
            }

            @Override
            public Map<String, ocivaultsync.reconcile.ImportSink.Outcome> write(
                    Map<String, ocivaultsync.reconcile.SecretValue> imported) {
                return source.write(imported);
            }
        });
        SyncReport late = deliver(nudge).syncs().get(0);
        assertEquals(SyncStatus.SKIPPED, late.status(), late.toString());
        assertEquals("superseded by a later operation", late.error());
        assertEquals(0, late.ociCalls().write());
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "the nudge did not bring A back");
    }

    @Test
    void aRemovesNudgeThatFiresAfterALaterSyncDeletesNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("B"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        assertEquals(List.of("A DELETE DONE", "B DELETE DEFERRED"), lines(remove()));
        Nudge late = h.requeuer.retries.get(0);

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        assertEquals(List.of("A RESTORE DONE"), lines(h.sync()), "the user changed their mind: A comes back");
        settle();
        assertEquals("active", h.tags("ovs-state-app").get("ovs_mode"));

        SyncReport r = deliver(late).syncs().get(0);
        assertEquals(SyncStatus.SUCCEEDED, r.status());
        assertEquals(List.of(), lines(r));
        settle();
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("ACTIVE", h.state("B"), "not deleted by the remove's nudge");
        assertEquals(new OciCalls(1, 0, 0), schedule().ociCalls(), "a steady automatic pass costs the list only");
    }

    @Test
    void aHandedOffSyncOfASyncAllReconcilesTowardWhatIsRecordedWhenItRuns() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.raw("""
                fingerprintKey: {value: e2e-fingerprint-key-0123456789abcdef}
                syncs:
                  - name: app
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {manageEverySecretInVault: true}
                  - name: two
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "two-{{secretKey}}"}
                """, null);
        RunReport all = h.runner().run(h.config(), RunRequest.manual(null, false)
                .withDeadline(Instant.now().plusSeconds(5)));
        assertEquals(List.of(SyncStatus.DEFERRED, SyncStatus.DEFERRED), all.syncs().stream().map(SyncReport::status)
                .toList(), "both handed off, each recorded first");
        settle();
        assertEquals(List.of("A DELETE DONE"), lines(remove()), "the user removes app before its hand-off runs");
        settle();
        SyncReport handedOff = deliver(h.requeuer.handOffs.get(0)).syncs().get(0);
        assertEquals(List.of(), lines(handedOff), "reconciles toward removed: nothing comes back");
        settle();
        assertEquals("PENDING_DELETION", h.state("A"));
    }

    @Test
    void aStateSecretTheUserScheduledForDeletionIsNeverCancelledTheRemoveRecordsUnderTheNextName() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().scheduleDeletion(id("ovs-state-app"), h.f.emulator.clock().now().plus(Duration.ofDays(7)),
                null);
        settle();
        assertEquals(List.of("A DELETE DONE"), lines(remove()));
        settle();
        assertEquals("PENDING_DELETION", h.state("ovs-state-app"), "the user's deletion stands");
        assertEquals("removed", h.tags("ovs-state-app.2").get("ovs_mode"));
        assertEquals("PENDING_DELETION", h.state("A"));
        h.f.emulator.clock().advance(Duration.ofDays(8)); // OCI purges the old one: DELETED, its name still held
        assertEquals(List.of(), lines(remove()), "a remove keeps working once the old one is DELETED");
    }

    @Test
    void anOperationThatCannotRecordItselfWritesNothingAndLeavesNoRetry() {
        h.source(Map.of("A", "1")).sync();
        settle();
        // The state secret is busy (another container's write, say) for a minute, longer than the wait allows.
        h.f.emulator.vault().force(id("ovs-state-app"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = remove();
        assertEquals(SyncStatus.FAILED, removal.status());
        assertEquals("destination: this remove could not be recorded on the sync's state secret (OCI IncorrectState "
                + "(HTTP 409): this sync's state secret ovs-state-app stayed UPDATING); nothing was written, run the "
                + "remove again", removal.error());
        assertEquals(List.of(), h.requeuer.retries, "no retry that the record would not know of");
        assertEquals(0, removal.ociCalls().write(), "it never wrote over a busy state secret");
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("active", h.tags("ovs-state-app").get("ovs_mode"));
    }

    @Test
    void anInitialRunThatCannotFinishIsFinishedByTheNextPass() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "mine", "B", "2"));
        SyncReport first = schedule();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DONE"), lines(first));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = schedule();
        assertTrue(second.initial(), "still initial: an adoption was outstanding");
        assertEquals(List.of("A UPDATE DONE"), lines(second));
        assertEquals("adopted by the initial sync: the source value replaces the destination's",
                second.results().get(0).reason());
        settle();
        assertEquals("mine", h.value("A"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
        SyncReport third = schedule();
        assertFalse(third.initial());
        assertEquals(List.of(), third.results());
        assertEquals(new OciCalls(1, 0, 0), third.ociCalls(), "a steady pass costs the list call only");
    }

    @Test
    void aPendingInitialRunDoesNotReachUntaggedSecretsOciCreatedAfterItBegan() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        Instant aCreated = h.secret("A").timeCreated();
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DONE"), lines(h.source(Map.of("A", "mine", "B", "2"))
                .sync()));
        Map<String, String> marker = h.tags("ovs-state-app");
        assertEquals("pending", marker.get("ovs_initial"));
        long since = Long.parseLong(marker.get("ovs_initial_since"));
        assertTrue(since > aCreated.toEpochMilli() && since <= h.f.emulator.clock().now().toEpochMilli(),
                "after the newest secret OCI listed, by OCI's clock (its answer's Date), not a container's: " + since);

        h.f.emulator.clock().advance(Duration.ofSeconds(1));
        h.seed("C", "made by a user while the initial run was pending", Map.of(), null);
        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = h.sync(q -> q.withForce(true));
        assertTrue(second.initial(), "still initial: the adoption of A was outstanding");
        assertEquals(List.of("A UPDATE DONE"), lines(second), "C is not the initial run's to delete, even forced");
        settle();
        assertEquals("made by a user while the initial run was pending", h.value("C"));
        assertEquals(Map.of(), h.tags("C"));
        Map<String, String> state = new java.util.HashMap<>(h.tags("ovs-state-app"));
        assertEquals("SUCCEEDED", state.get("ovs_status"), "the closing write carries the pass's status");
        state.keySet().removeAll(ocivaultsync.report.PassStatus.TAGS);
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "2", "ovs_op", "sync",
                "ovs_initial", "done"), state, "done, and the forced sync's work closed");
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
        SyncReport first = schedule();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DEFERRED", "ovs-state-app NONE DEFERRED"), lines(first));
        assertFalse(h.vault().containsKey("B"), "nothing written before the state");

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = schedule();
        assertTrue(second.initial(), "still initial: nothing of the initial run was done");
        assertEquals(List.of("A UPDATE DONE", "B CREATE DONE"), lines(second));
        settle();
        assertEquals("mine", h.value("A"));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"), "created this pass, still CREATING");
        assertEquals(List.of(), lines(schedule()));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"), "the next pass finds nothing outstanding");
    }

    @Test
    void aStateSecretAnotherContainerCreatedMeanwhileIsTakenOverNotAFailure() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        AtomicBoolean raced = new AtomicBoolean();
        h.wrapVault(v -> SyncEndToEndTest.Racing.onCreateOf(v, name -> {
            if (name.equals("ovs-state-app") && raced.compareAndSet(false, true)) {
                h.seed(name, "state", Harness.productStateTags("app", name, Map.of("ovs_initial", "done")), null);
            }
        }));
        h.source(Map.of("A", "mine"));
        SyncReport first = schedule();
        assertEquals(List.of("A UPDATE DEFERRED"), lines(first));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));
        assertEquals(1, h.f.emulator.vault().snapshot().stream().filter(s -> String.valueOf(s.get("name"))
                .startsWith("ovs-state-app")).count());
    }

    @Test
    void aUsersSecretNamedLikeTheStateSecretIsNeverTouchedTheStateGoesUnderTheNextName() {
        h.seed("ovs-state-app", "users own", Map.of("team", "x"), null);
        h.seed("A", "theirs", Map.of(), null);
        SyncReport r = h.source(Map.of("A", "mine")).sync();
        assertEquals(List.of("A UPDATE DONE"), lines(r), "the initial run adopts A, not the user's secret");
        assertEquals("users own", h.value("ovs-state-app"));
        assertEquals(Map.of("team", "x"), h.tags("ovs-state-app"));
        assertEquals("app", h.tags("ovs-state-app.2").get("ovs_state"));
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
    void aForcedSyncsApprovalHoldsForItsNudgesOnlyNeverForAScheduleAndEndsWithItsWork() {
        h.source(Map.of("A", "1", "B", "2", "C", "3", "D", "4", "E", "5")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "new", "F", "6"));
        SyncReport forced = h.sync(q -> q.withForce(true));
        assertEquals(List.of("A UPDATE DEFERRED", "B DELETE DONE", "C DELETE DONE", "D DELETE DONE",
                "E DELETE DONE", "F CREATE DONE"), lines(forced), "four of five deleted: past the guard, forced");
        assertEquals("true", h.tags("ovs-state-app").get("ovs_force"), "recorded: the nudge carries no force");
        h.f.emulator.clock().advance(Duration.ofSeconds(20)); // its nudge is due: a schedule is no longer covered
        h.source(Map.of()); // the source comes back empty meanwhile
        SyncReport scheduled = schedule();
        assertEquals(List.of("A DELETE DEFERRED", "F DELETE BLOCKED"), lines(scheduled),
                "a schedule never forces: the guard withholds");
        h.source(Map.of("A", "new", "F", "6"));
        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport nudged = deliver(h.requeuer.retries.get(0)).syncs().get(0);
        assertEquals(List.of("A UPDATE DONE"), lines(nudged));
        settle();
        assertEquals(null, h.tags("ovs-state-app").get("ovs_force"), "its work done: the approval is gone");
        assertEquals(null, h.tags("ovs-state-app").get("ovs_open"));
    }

    @Test
    void aTriggerWhileANudgeIsPendingRunsNothingWhenTheNudgeChecksWhatItAsks() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "2"));
        SyncReport first = schedule();
        assertEquals(SyncStatus.DEFERRED, first.status());
        assertEquals(1, h.requeuer.retries.size());

        SyncReport covered = schedule();
        assertEquals("the retry already pending for this sync in this container covers it", covered.error());
        assertEquals(OciCalls.NONE, covered.ociCalls(), "nothing ran");
        assertEquals(first.retry(), covered.retry());
        assertEquals(1, h.requeuer.retries.size(), "one pending nudge: no second timer or self-invocation");

        SyncReport event = h.runner().run(h.config(), List.of(h.config().syncs().get(0)),
                RunRequest.automatic(Trigger.OCI_EVENT).withDeepSecretIds(Map.of("app", java.util.Set.of(id("A")))))
                .syncs().get(0);
        assertEquals(List.of("A UPDATE DEFERRED"), lines(event), "it ran: the pending nudge would not check A deeply");
        assertEquals(java.util.Set.of(id("A")), h.requeuer.retries.get(1).deepSecretIds());

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        assertEquals(List.of("A UPDATE DONE"), lines(deliver(h.requeuer.retries.get(1)).syncs().get(0)));
        settle();
        assertEquals("2", h.value("A"));
    }

    @Test
    void aTriggerDuringAPassMarksTheSyncDirtyAndThePassIsFollowedByANudge() {
        h.source(Map.of("A", "1")).sync();
        settle();
        AtomicBoolean once = new AtomicBoolean();
        h.wrapSource(source -> new ocivaultsync.source.SecretSource() {
            @Override
            public ocivaultsync.source.SourceSnapshot fetch() {
                if (once.compareAndSet(false, true)) { // a webhook arrives while this pass reads the source
                    SyncReport dirty = h.runner().run(h.config(), List.of(h.config().syncs().get(0)),
                            RunRequest.automatic(Trigger.INFISICAL_WEBHOOK)).syncs().get(0);
                    assertEquals("a pass of this sync is running in this container; it runs again after it",
                            dirty.error());
                }
                return source.fetch();
            }

            @Override
            public Map<String, ocivaultsync.reconcile.ImportSink.Outcome> write(
                    Map<String, ocivaultsync.reconcile.SecretValue> imported) {
                return source.write(imported);
            }
        });
        SyncReport r = schedule();
        assertEquals(SyncStatus.SUCCEEDED, r.status());
        assertEquals(1, r.retry().attempt(), "followed by a nudge: the webhook's change may have come too late");
        assertEquals("app", h.requeuer.retries.get(0).sync());
    }

    @Test
    void aManualDeepSyncThatDefersIsRetriedDeepThroughWhatItRecorded() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "2"));
        SyncReport manual = h.sync(q -> q.withVerify(ocivaultsync.reconcile.Verify.DEEP));
        assertEquals(List.of("A UPDATE DEFERRED"), lines(manual));
        assertEquals("deep", h.tags("ovs-state-app").get("ovs_verify"));
        assertEquals(java.util.Set.of(id("A")), h.requeuer.retries.get(0).deepSecretIds(),
                "what a deep pass deferred is checked deeply by its nudge");
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
        Nudge handOff = h.requeuer.handOffs.get(1);
        assertEquals(List.of("manual", "0"), List.of(handOff.sync(), String.valueOf(handOff.attempt())));
        settle();
        assertEquals("true", h.tags("ovs-state-manual").get("ovs_open"), "recorded before it was handed off");
        SyncReport ran = deliver(handOff).syncs().get(0);
        assertEquals(List.of("manual-A CREATE DONE"), lines(ran), "not SKIPPED: the caller was told DEFERRED");
        settle();
        assertEquals(SyncStatus.SKIPPED, deliver(handOff).syncs().get(0).status(),
                "once its work is done a nudge of a sync with auto-sync off runs nothing");
    }

    @Test
    void aRePlannedImportAfterNameAlreadyExistsImportsIntoTheSource() {
        h.configure("initialSyncBehavior: import-prioritize-destination");
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.clock().advance(Duration.ofSeconds(1));
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        // The listing the pass plans from (the manual sync's second: it lists again once its intent is recorded)
        // shifted between pages and misses A: the create meets it, and the pass decides the name again.
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> { }) {
            @Override
            public List<ocivaultsync.reconcile.DestinationSecret> list(ocivaultsync.reconcile.Destination t) {
                List<ocivaultsync.reconcile.DestinationSecret> all = super.list(t);
                return listings.incrementAndGet() == 2 ? all.stream().filter(s -> !s.name().equals("A")).toList()
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
        h.wrapVault(v -> SyncEndToEndTest.Racing.onCreateOf(v, name -> {
            if (name.equals("A") && raced.compareAndSet(false, true)) {
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
        String a = h.f.secretViews().stream().filter(s -> s.name().equals("A")).findFirst().orElseThrow().id();
        BmcException e = assertThrows(BmcException.class, () -> h.f.vaults().scheduleSecretVersionDeletion(
                ScheduleSecretVersionDeletionRequest.builder().secretId(a).secretVersionNumber(1L)
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
