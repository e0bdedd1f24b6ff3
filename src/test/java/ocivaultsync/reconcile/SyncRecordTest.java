package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The state secret's record: what it says, what a manual operation writes over it, which one is the sync's. */
class SyncRecordTest {

    static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

    static DestinationSecret state(String id, String name, LifecycleState s, Map<String, String> tags) {
        return new DestinationSecret(id, name, s, tags, null);
    }

    @Test
    void aSyncWithoutOneIsActiveWithNothingAskedAndNothingPending() {
        SyncRecord r = SyncRecord.in("app", List.of());
        assertEquals(Optional.of(Mode.ACTIVE), r.mode());
        assertEquals(0, r.generation());
        assertFalse(r.exists() || r.open() || r.forced() || r.initialPending());
        assertEquals(Operation.SYNC, r.toward(Optional.empty()), "every pass syncs it");
    }

    @Test
    void aManualOperationRecordsTheNextGenerationItsModeAndOpenWorkAndTheTagsRoundTrip() {
        SyncRecord r = SyncRecord.absent().recording(Operation.REMOVE);
        Map<String, String> tags = r.tagsFor("app");
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "1", "ovs_op", "remove",
                "ovs_initial", "done"), tags);
        SyncRecord read = SyncRecord.of(state("s1", "ovs-state-app", LifecycleState.ACTIVE, tags));
        assertEquals(Optional.of(Mode.REMOVED), read.mode());
        assertEquals(Operation.REMOVE, read.toward(Optional.empty()), "every pass finishes the removal");
        assertEquals(Operation.REMOVE, read.toward(Optional.of(Operation.IMPORT_PRIORITIZE_SOURCE)));

        SyncRecord sync = read.recording(Operation.SYNC).opened(true, true);
        assertEquals(2, sync.generation());
        assertTrue(sync.forced() && sync.deepened());
        assertEquals(Operation.IMPORT_PRIORITIZE_SOURCE,
                sync.toward(Optional.of(Operation.IMPORT_PRIORITIZE_SOURCE)));
        SyncRecord done = sync.closed();
        assertFalse(done.open() || done.forced() || done.deepened(), "force and deep hold only while open");
        assertFalse(sync.recording(Operation.SYNC).forced(), "a later operation closes what the one before left open");
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "2", "ovs_op", "sync",
                "ovs_initial", "done"), done.tagsFor("app"));
    }

    @Test
    void othersTagsSurviveEveryWriteAndAPendingInitialRunKeepsItsOciStart() {
        Map<String, String> tags = Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "3", "team", "a");
        SyncRecord r = SyncRecord.of(state("s1", "ovs-state-app", LifecycleState.ACTIVE, tags))
                .withInitial(true, Optional.of(T));
        Map<String, String> written = r.tagsFor("app");
        assertEquals("a", written.get("team"));
        assertEquals(Long.toString(T.toEpochMilli()), written.get("ovs_initial_since"));
        SyncRecord back = SyncRecord.of(state("s1", "ovs-state-app", LifecycleState.ACTIVE, written));
        assertEquals(Optional.of(T), back.initialSince());
        assertEquals(Optional.empty(), back.withInitial(false, Optional.of(T)).initialSince());
    }

    @Test
    void aModeThatCannotBeReadIsNoneAndAGenerationThatCannotIsZero() {
        SyncRecord r = SyncRecord.of(state("s1", "ovs-state-app", LifecycleState.ACTIVE,
                Map.of("ovs_state", "app", "ovs_mode", "paused", "ovs_gen", "x")));
        assertEquals(Optional.empty(), r.mode());
        assertEquals("paused", r.modeTag());
        assertEquals(0, r.generation());
    }

    @ParameterizedTest
    @EnumSource(LifecycleState.class)
    void onlyALiveStateSecretHoldsTheSyncsStateOneTheUserScheduledForDeletionIsAbsent(LifecycleState s) {
        boolean live = Set.of(LifecycleState.ACTIVE, LifecycleState.CREATING, LifecycleState.UPDATING,
                LifecycleState.CANCELLING_DELETION).contains(s);
        DestinationSecret st = state("s1", "ovs-state-app", s, Map.of("ovs_state", "app", "ovs_gen", "4"));
        assertEquals(live, SyncRecord.in("app", List.of(st)).exists(), s.name());
    }

    @Test
    void amongSeveralLiveOnesTheNewestGenerationWinsAndAnotherSyncsIsNeverTheSyncs() {
        DestinationSecret old = state("s1", "ovs-state-app", LifecycleState.ACTIVE,
                Map.of("ovs_state", "app", "ovs_gen", "2"));
        DestinationSecret newer = state("s2", "ovs-state-app.2", LifecycleState.ACTIVE,
                Map.of("ovs_state", "app", "ovs_gen", "5"));
        DestinationSecret other = state("s3", "ovs-state-app-2", LifecycleState.ACTIVE,
                Map.of("ovs_state", "app-2", "ovs_gen", "9"));
        assertEquals("s2", SyncRecord.in("app", List.of(old, newer, other)).secretId());
    }

    @Test
    void aNewStateSecretTakesTheFirstNameNobodyHoldsWithADotNoSyncNameHas() {
        assertEquals("ovs-state-app", SyncRecord.nameFor("app", Set.of()));
        assertEquals("ovs-state-app.2", SyncRecord.nameFor("app", Set.of("ovs-state-app")));
        assertEquals("ovs-state-app.3", SyncRecord.nameFor("app", Set.of("ovs-state-app", "ovs-state-app.2",
                "ovs-state-app-2")));
    }

    @Test
    void twoReadsShowTheSameIntentWhenTheGenerationAndTheSecretAgree() {
        SyncRecord a = SyncRecord.of(state("s1", "n", LifecycleState.ACTIVE, Map.of("ovs_state", "app",
                "ovs_gen", "3")));
        assertTrue(a.sameIntent(a.withInitial(true, Optional.of(T))), "an automatic write keeps the intent");
        assertFalse(a.sameIntent(a.recording(Operation.SYNC)));
        assertFalse(a.sameIntent(SyncRecord.of(state("s2", "n.2", LifecycleState.ACTIVE, Map.of("ovs_state", "app",
                "ovs_gen", "3")))), "another state secret");
        assertTrue(SyncRecord.absent().sameIntent(SyncRecord.of(state("s9", "n", LifecycleState.ACTIVE,
                Map.of("ovs_state", "app")))), "nothing asked on either");
    }

    @Test
    void theInitialRunsReachEndsAfterTheNewestSecretOciListedByOcisClockAlone() {
        DestinationSecret a = new DestinationSecret("a", "A", LifecycleState.ACTIVE, Map.of(), null, T);
        DestinationSecret b = new DestinationSecret("b", "B", LifecycleState.ACTIVE, Map.of(), null, T.plusSeconds(9));
        assertEquals(T.plusSeconds(9).plusMillis(1), SyncRecord.reachEnd(List.of(a, b), Optional.empty()));
        assertEquals(T.plusSeconds(60), SyncRecord.reachEnd(List.of(a, b), Optional.of(T.plusSeconds(60))),
                "or when OCI answered the listing, by the Date of its answer");
        assertEquals(Instant.EPOCH, SyncRecord.reachEnd(List.of(), Optional.empty()), "nothing says: nothing is in reach");
        assertTrue(SyncRecord.withinInitialReach(a, Optional.of(T.plusMillis(1))));
        assertFalse(SyncRecord.withinInitialReach(b, Optional.of(T.plusMillis(1))));
    }
}
