package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state secret's record of the newest explicit operation, and when a retry is stale by it. */
class SyncStateTest {

    static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

    static DestinationSecret state(Map<String, String> tags) {
        return new DestinationSecret("s1", SyncState.nameFor("app"), LifecycleState.ACTIVE, tags, null);
    }

    @Test
    void theRecordRoundTripsThroughTheTagsAndAnUnreadableOneIsNone() {
        Optional<SyncState.LastOperation> remove = Optional.of(new SyncState.LastOperation(Operation.REMOVE, T));
        Map<String, String> tags = SyncState.tags("app", false, Optional.of(T), remove);
        assertEquals(Map.of("ovs_state", "app", "ovs_initial", "done", "ovs_op", "remove", "ovs_op_at",
                "1780272000000"), tags);
        assertEquals(remove, SyncState.lastOperation(state(tags)));
        assertEquals(Map.of("ovs_state", "app", "ovs_initial", "pending"), SyncState.tags("app", true));
        assertEquals(Map.of("ovs_state", "app", "ovs_initial", "pending", "ovs_initial_since", "1780272000000"),
                SyncState.tags("app", true, Optional.of(T), Optional.empty()));
        assertEquals(Optional.empty(), SyncState.lastOperation(state(Map.of("ovs_state", "app", "ovs_op", "purge",
                "ovs_op_at", "1"))));
        assertEquals(Optional.empty(), SyncState.lastOperation(state(Map.of("ovs_state", "app", "ovs_op", "remove",
                "ovs_op_at", "yesterday"))));
        assertEquals(Optional.empty(), SyncState.lastOperation(null));
    }

    @Test
    void aRemoveAndTheRestAreTheTwoKindsAndTheRecordOnlyMovesForward() {
        assertEquals(true, SyncState.sameKind(Operation.SYNC, Operation.IMPORT_PRIORITIZE_DESTINATION));
        assertEquals(false, SyncState.sameKind(Operation.REMOVE, Operation.IMPORT_PRIORITIZE_SOURCE));
        Optional<SyncState.LastOperation> remove = Optional.of(new SyncState.LastOperation(Operation.REMOVE, T));
        assertEquals(Optional.empty(), SyncState.supersededBy(remove, Operation.REMOVE, T.minusSeconds(1)));
        assertEquals(Optional.of(Operation.REMOVE),
                SyncState.supersededBy(remove, Operation.IMPORT_PRIORITIZE_DESTINATION, T.minusSeconds(1)));
        assertEquals(new SyncState.LastOperation(Operation.SYNC, T.plusSeconds(1)),
                SyncState.next(remove, Operation.SYNC, T.plusSeconds(1)));
        assertEquals(new SyncState.LastOperation(Operation.SYNC, T.plusMillis(1)),
                SyncState.next(remove, Operation.SYNC, T.minusSeconds(5)), "a clock behind: a millisecond later");
        assertEquals(new SyncState.LastOperation(Operation.SYNC, T), SyncState.next(Optional.empty(), Operation.SYNC, T));
        Optional<SyncState.LastOperation> later = Optional.of(new SyncState.LastOperation(Operation.SYNC,
                T.plusSeconds(1)));
        assertEquals(later, SyncState.newer(remove, later));
        assertEquals(later, SyncState.newer(later, remove));
        assertEquals(remove, SyncState.newer(remove, Optional.empty()));
    }

    @Test
    void aChainOfAnotherKindStartedBeforeTheRecordedOperationIsSuperseded() {
        Optional<SyncState.LastOperation> remove = Optional.of(new SyncState.LastOperation(Operation.REMOVE, T));
        // kind of the retry, its chain's start relative to the record, what supersedes it
        assertEquals(Optional.of(Operation.REMOVE), SyncState.supersededBy(remove, Operation.SYNC, T.minusMillis(1)));
        assertEquals(Optional.of(Operation.REMOVE),
                SyncState.supersededBy(remove, Operation.IMPORT_PRIORITIZE_SOURCE, T.minusSeconds(60)));
        assertEquals(Optional.empty(), SyncState.supersededBy(remove, Operation.SYNC, T), "not before it: stands");
        assertEquals(Optional.empty(), SyncState.supersededBy(remove, Operation.SYNC, T.plusMillis(1)));
        assertEquals(Optional.empty(), SyncState.supersededBy(remove, Operation.REMOVE, T.minusSeconds(60)),
                "the same kind continues");
        assertEquals(Optional.empty(), SyncState.supersededBy(remove, Operation.SYNC, null),
                "an old message without its chain's start is never stale");
        assertEquals(Optional.empty(), SyncState.supersededBy(Optional.empty(), Operation.REMOVE, T),
                "nothing recorded: nothing supersedes");
    }
}
