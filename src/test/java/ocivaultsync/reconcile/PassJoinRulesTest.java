package ocivaultsync.reconcile;

import static ocivaultsync.reconcile.Fixtures.entry;
import static ocivaultsync.reconcile.Fixtures.owned;
import static ocivaultsync.reconcile.Fixtures.ownedBy;
import static ocivaultsync.reconcile.Fixtures.secret;
import static ocivaultsync.reconcile.LifecycleState.ACTIVE;
import static ocivaultsync.reconcile.LifecycleState.DELETED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ocivaultsync.apply.AdaptiveLimit;
import ocivaultsync.apply.Executor;
import ocivaultsync.apply.ExecutorTest;
import ocivaultsync.reconcile.Fixtures.Policy;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import org.junit.jupiter.api.Test;

/** The rules where one pass meets the next: initial status, live holders, collisions, counts and statuses. */
class PassJoinRulesTest {

    static final Policy BASE = Policy.defaults();

    static List<String> lines(Plan plan) {
        return plan.changes().stream().map(c -> c.key() + " " + c.name() + " " + c.action() + " " + c.status())
                .toList();
    }

    @Test
    void aStateSecretMarkedPendingKeepsASyncInitialAndIsNeverAManagedSecret() {
        DestinationSecret mine = secret("o1", "A", ACTIVE, owned("A", "a"));
        DestinationSecret untagged = secret("u1", "B", ACTIVE, Map.of());
        DestinationSecret state = secret("s1", "ovs-state-" + Fixtures.SYNC, ACTIVE,
                Fixtures.stateTags(Fixtures.SYNC, true, Optional.empty()));
        var in = Fixtures.input(BASE, List.of(entry("A", "a"), entry("B", "b")), List.of(mine, untagged, state));
        Plan plan = Fixtures.plan(in, Map.of("u1", "b"));
        assertTrue(plan.initial());
        assertEquals(List.of("A A NONE DONE", "B B UPDATE PLANNED"), lines(plan), "B adopted; the state secret unseen");

        var done = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(mine, untagged,
                secret("s1", "ovs-state-" + Fixtures.SYNC, ACTIVE, Fixtures.stateTags(Fixtures.SYNC, false, Optional.empty()))));
        assertFalse(Fixtures.plan(done, Map.of()).initial());
        assertEquals(List.of("A A NONE DONE"), lines(Fixtures.plan(done, Map.of())), "B is someone else's now");
    }

    @Test
    void aPendingInitialRunReachesOnlyUntaggedSecretsCreatedBeforeItBegan() {
        Instant began = Instant.parse("2026-06-01T00:00:00Z");
        DestinationSecret mine = secret("o1", "A", ACTIVE, owned("A", "a"));
        DestinationSecret before = new DestinationSecret("u1", "B", ACTIVE, Map.of(), null, began.minusMillis(1));
        DestinationSecret after = new DestinationSecret("u2", "C", ACTIVE, Map.of(), null, began);
        DestinationSecret unknown = new DestinationSecret("u3", "D", ACTIVE, Map.of(), null, null);
        DestinationSecret state = secret("s1", "ovs-state-" + Fixtures.SYNC, ACTIVE,
                Fixtures.stateTags(Fixtures.SYNC, true, Optional.of(began)));
        var in = Fixtures.input(BASE, List.of(entry("A", "a"), entry("B", "b"), entry("C", "c")),
                List.of(mine, before, after, unknown, state));
        Plan plan = Fixtures.plan(in, Map.of("u1", "b", "u2", "c", "u3", "d"));
        assertTrue(plan.initial());
        assertEquals(List.of("A A NONE DONE", "B B UPDATE PLANNED", "C C UPDATE FAILED"), lines(plan),
                "B adopted; C made after the run began is someone else's, and so is D, of unknown age");
        assertEquals(java.util.Set.of("u1"), Planner.untaggedFitting(in));
    }

    @Test
    void aDeferredAdoptionLeavesTheInitialRunOutstandingACreateDoesNot() {
        DestinationSecret untagged = secret("u1", "B", ACTIVE, Map.of());
        var in = Fixtures.input(BASE, List.of(entry("A", "a"), entry("B", "b")), List.of(untagged));
        PlannedChange create = PlannedChange.create("A", "A", Map.of(), Reason.MISSING_IN_DESTINATION, null)
                .with(ResultStatus.FAILED, Reason.VAULT_ERROR, null);
        PlannedChange adopt = PlannedChange.update("B", "B", "u1", Map.of(), Reason.ADOPTED, null, null).done("u1");
        assertFalse(Planner.initialOutstanding(in, List.of(create, adopt)));
        assertTrue(Planner.initialOutstanding(in, List.of(create,
                adopt.with(ResultStatus.DEFERRED, Reason.STATE_CHANGED, null))));
        assertTrue(Planner.initialOutstanding(in, List.of(
                adopt.with(ResultStatus.BLOCKED, Reason.GUARD_TOO_MANY, null))));
    }

    @Test
    void aNameIsDecidedByItsLiveHolderNeverByADeletedSecretOfThisSync() {
        var in = Fixtures.input(BASE, List.of(entry("K", "k")), List.of(
                secret("o1", "K", ACTIVE, owned("K", "k")),
                secret("gone", "X", DELETED, owned("X", "x")),
                secret("theirs", "X", ACTIVE, ownedBy("other", "X", "x"))));
        Plan plan = Fixtures.plan(in, Map.of());
        assertEquals(List.of("K K NONE DONE"), lines(plan), "nothing planned on the other sync's live X");
        assertTrue(Planner.bundlesToRead(in).keySet().isEmpty());
    }

    @Test
    void twoSourceSecretsMappingToOneNameFailOncePerKey() {
        SourceEntry x = new SourceEntry("A", Fixtures.fp("A", "1"), 1, "/x", "1");
        SourceEntry y = new SourceEntry("A", Fixtures.fp("A", "2"), 1, "/y", "2");
        var in = Fixtures.input(BASE, List.of(x, y, entry("B", "b")), List.of());
        Plan plan = Fixtures.plan(in, Map.of());
        assertEquals(List.of("A A CREATE FAILED", "A A CREATE FAILED", "B B CREATE PLANNED"), lines(plan));
        assertEquals(List.of("1", "2"), plan.changes().subList(0, 2).stream().map(PlannedChange::sourceVersion)
                .sorted().toList());
        assertEquals("several source secrets map to this name: A from /x, A from /y",
                plan.changes().get(0).reasonText());

        ExecutorTest.ScriptedVault v = new ExecutorTest.ScriptedVault();
        List<PlannedChange> out = new Executor(v, Executor.Settings.defaults(), Clock.systemUTC(), d -> { })
                .apply(plan, ExecutorTest.ctx(Map.of("B", SecretValue.ofUtf8("b")), Instant.now().plusSeconds(60)));
        assertEquals(3, out.size(), "one result per source secret");
        assertEquals(2, SyncReport.of("s", false, out, false, null, OciCalls.NONE, 0).counts().failed());
    }

    @Test
    void aSecretTaggedWithoutAKeyCannotCarryAClaimAndIsLeftAloneByEveryOperation() {
        Policy schema = BASE.schema("app-{{secretKey}}");
        DestinationSecret odd = secret("o2", "odd-name", ACTIVE, Map.of(OwnershipTags.SYNC, Fixtures.SYNC));
        var in = Fixtures.input(schema, List.of(entry("A", "a")),
                List.of(secret("o1", "app-A", ACTIVE, owned("A", "a")), odd));
        assertEquals(List.of("A app-A NONE DONE", "null odd-name NONE SKIPPED"),
                lines(Fixtures.plan(in, Map.of())));
        Plan imported = Planner.plan(in, Operation.IMPORT_PRIORITIZE_SOURCE, Map.of());
        assertEquals(List.of("A app-A NONE DONE", "null odd-name NONE SKIPPED"), lines(imported));
        assertEquals(Reason.FALSE_CLAIM, imported.changes().get(1).reason());
        Plan removed = Planner.plan(in, Operation.REMOVE, Map.of());
        assertEquals(List.of("A app-A DELETE PLANNED", "null odd-name NONE SKIPPED"), lines(removed));
    }

    @Test
    void aManualImportAdoptsUntaggedSecretsOnlyWhileTheSyncIsInitial() {
        DestinationSecret untagged = secret("u1", "B", ACTIVE, Map.of());
        var initial = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(untagged));
        assertEquals(List.of("B B IMPORT PLANNED"), lines(Planner.plan(initial,
                Operation.IMPORT_PRIORITIZE_SOURCE, Fixtures.reads(initial, Operation.IMPORT_PRIORITIZE_SOURCE,
                        Map.of("u1", "b")))));
        var later = Fixtures.input(BASE, List.of(entry("A", "a")),
                List.of(secret("o1", "A", ACTIVE, owned("A", "a")), untagged));
        assertEquals(List.of("A A NONE DONE"), lines(Planner.plan(later, Operation.IMPORT_PRIORITIZE_SOURCE,
                Fixtures.reads(later, Operation.IMPORT_PRIORITIZE_SOURCE, Map.of("u1", "b")))));
    }

    @Test
    void aRemoveKeepsEveryStateSecretItsOwnRecordsTheRemove() {
        var in = Fixtures.input(BASE, List.of(), List.of(secret("o1", "A", ACTIVE, owned("A", "a")),
                secret("s1", "ovs-state-" + Fixtures.SYNC, ACTIVE, Fixtures.stateTags(Fixtures.SYNC, false, Optional.empty())),
                secret("s2", "ovs-state-other", ACTIVE, Fixtures.stateTags("other", false, Optional.empty()))));
        assertEquals(List.of("A A DELETE PLANNED"), lines(Planner.plan(in, Operation.REMOVE, Map.of())));
    }

    @Test
    void aRestoreWhoseCancelSucceededCountsAsARestore() {
        PlannedChange restored = PlannedChange.deferred("A", "A", Action.RESTORE, "o1", Reason.RESTORED_WRITE_LATER,
                null, null);
        SyncReport r = SyncReport.of("s", false, List.of(restored), false, null, OciCalls.NONE, 0);
        assertEquals(1, r.counts().restore());
        assertEquals(0, r.counts().deferred());
        assertEquals(SyncStatus.DEFERRED, r.status());
        assertTrue(r.hasDeferred(), "the value is still to be written: a retry follows");
    }

    @Test
    void aDeepPassDoesNotTrustTheTagOfASecretItRestores() {
        DestinationSecret deleting = secret("o1", "A", LifecycleState.PENDING_DELETION, owned("A", "a"));
        var fast = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(deleting));
        assertTrue(Fixtures.plan(fast, Map.of()).changes().get(0).restoreCompletes());
        var deep = Fixtures.input(BASE.deep(), List.of(entry("A", "a")), List.of(deleting));
        assertFalse(Fixtures.plan(deep, Map.of()).changes().get(0).restoreCompletes(),
                "found by the model test (seed 1937): a value edited before the deletion came back unrepaired");
    }

    @Test
    void aSyncWhoseEveryResultFailedIsFailedNotPartial() {
        PlannedChange failed = PlannedChange.create("A", "A", Map.of(), Reason.MISSING_IN_DESTINATION, null)
                .with(ResultStatus.FAILED, Reason.VAULT_ERROR, null);
        PlannedChange done = PlannedChange.none("B", "B", "b", Reason.UP_TO_DATE, null, null);
        assertEquals(SyncStatus.FAILED, SyncReport.statusOf(List.of(failed, failed.with(ResultStatus.FAILED,
                Reason.VAULT_ERROR, "again"))));
        assertEquals(SyncStatus.PARTIAL, SyncReport.statusOf(List.of(failed, done)));
    }

    @Test
    void theLimitNeverStartsACallAfterTheDeadline() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        Instant deadline = now.get().plusSeconds(10);
        AdaptiveLimit limit = new AdaptiveLimit(1);
        assertTrue(limit.acquire(clock, deadline));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.acquire(clock, deadline);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50); // let it wait for the slot
        now.set(deadline.plus(Duration.ofSeconds(1)));
        limit.release(false);
        assertFalse(waiting.get(5, TimeUnit.SECONDS), "the slot came free after the deadline: no call starts");
        assertFalse(limit.acquire(clock, deadline));
    }
}
