package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SyncState;
import org.junit.jupiter.api.Test;

/**
 * How a pass writes the state secret while other containers write it too: the record never moves backwards, a pending
 * initial run of someone else's is never cleared, transitional states are waited out. A vault port of one secret
 * whose state the test moves: these are the steps between calls that the emulator cannot stop at.
 */
class StateSecretTest {

    static final Destination D = new Destination("r", "c", "v", "k");
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final String NAME = SyncState.nameFor("app");

    /** One state secret; {@code afterReads} states it passes through, one per findByName. */
    static final class OneSecret implements VaultPort {
        DestinationSecret s;
        final List<LifecycleState> afterReads = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        void put(LifecycleState state, Map<String, String> tags) {
            s = new DestinationSecret("id1", NAME, state, tags, null, T0);
        }

        @Override
        public List<DestinationSecret> list(Destination t) {
            return s == null ? List.of() : List.of(s);
        }

        @Override
        public List<DestinationSecret> findByName(Destination t, String n) {
            calls.add("find");
            List<DestinationSecret> out = list(t);
            if (!afterReads.isEmpty()) {
                put(afterReads.remove(0), s.freeformTags());
            }
            return out;
        }

        @Override
        public String create(Destination t, String n, SecretValue v, Map<String, String> tags) {
            calls.add("create");
            put(LifecycleState.CREATING, tags);
            return "id1";
        }

        @Override
        public long update(String id, SecretValue v, Map<String, String> tags) {
            calls.add("update");
            if (s.state() != LifecycleState.ACTIVE) {
                throw new VaultException(VaultException.Kind.INCORRECT_STATE, 409, "IncorrectState",
                        "The secret is in state " + s.state(), null);
            }
            put(LifecycleState.UPDATING, tags);
            return 1;
        }

        @Override
        public void scheduleDeletion(String id, Instant t) {
        }

        @Override
        public void cancelDeletion(String id) {
            calls.add("cancel");
            put(LifecycleState.CANCELLING_DELETION, s.freeformTags());
        }

        @Override
        public SecretValue readCurrent(String id) {
            return null;
        }
    }

    final OneSecret vault = new OneSecret();
    final List<Duration> slept = new ArrayList<>();

    StateSecret pass(Operation op, Instant since, Sleeper sleeper) {
        return new StateSecret("app", vault, D, vault.list(D), op, since, T0, T0.plusSeconds(300),
                Clock.fixed(T0, ZoneOffset.UTC), sleeper, new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8)),
                6);
    }

    StateSecret pass(Operation op, Instant since) {
        return pass(op, since, slept::add);
    }

    static Map<String, String> tags(boolean pending, Instant since, Operation op, Instant at) {
        return SyncState.tags("app", pending, Optional.ofNullable(since),
                op == null ? Optional.empty() : Optional.of(new SyncState.LastOperation(op, at)));
    }

    @Test
    void aClosingWriteAfterCreatingItRereadsItAndYieldsToANewerRemove() {
        StateSecret initial = pass(Operation.SYNC, T0);
        initial.writeFirst(true);
        // Another container's remove, begun later, waited out CREATING and recorded itself.
        vault.put(LifecycleState.ACTIVE, tags(true, T0, Operation.REMOVE, T0.plusSeconds(5)));
        StateSecret.Superseded e = assertThrows(StateSecret.Superseded.class, () -> initial.writeClosing(false));
        assertEquals(Operation.REMOVE, e.by);
        assertEquals("remove", vault.s.freeformTags().get("ovs_op"), "the record did not go backwards");
    }

    @Test
    void aFirstWriteNeverClearsAnotherContainersPendingInitialRun() {
        vault.put(LifecycleState.ACTIVE, tags(false, null, null, null));
        StateSecret remove = pass(Operation.REMOVE, T0.plusSeconds(10));
        // Meanwhile another container's initial pass marked the initial run pending.
        vault.put(LifecycleState.ACTIVE, tags(true, T0.plusSeconds(1), null, null));
        remove.recordThisOperation();
        remove.writeFirst(false);
        assertEquals(tags(true, T0.plusSeconds(1), Operation.REMOVE, T0.plusSeconds(10)), vault.s.freeformTags());
    }

    @Test
    void aClosingWriteLeavesAnInitialRunSomeoneElseBeganAlone() {
        vault.put(LifecycleState.ACTIVE, tags(true, T0, null, null));
        StateSecret done = pass(Operation.SYNC, T0);
        vault.put(LifecycleState.ACTIVE, tags(true, T0.plusSeconds(30), null, null)); // a new initial run began
        done.writeClosing(false);
        assertEquals(tags(true, T0.plusSeconds(30), null, null), vault.s.freeformTags());
        assertEquals(List.of("find"), vault.calls, "read, not written");
    }

    @Test
    void aTransitionalStateIsWaitedOutByTheBackOffBeforeTheFirstWrite() {
        vault.put(LifecycleState.ACTIVE, tags(false, null, null, null));
        StateSecret remove = pass(Operation.REMOVE, T0.plusSeconds(10));
        vault.put(LifecycleState.UPDATING, tags(false, null, null, null));
        vault.afterReads.addAll(List.of(LifecycleState.UPDATING, LifecycleState.ACTIVE));
        remove.recordThisOperation();
        remove.writeFirst(false);
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), slept);
        assertEquals(List.of("find", "find", "find", "update"), vault.calls);
        assertEquals("remove", vault.s.freeformTags().get("ovs_op"));
    }

    @Test
    void anOlderReleasesScheduledDeletionIsCancelledAndWaitedOutUntilActive() {
        vault.put(LifecycleState.PENDING_DELETION, tags(false, null, null, null));
        StateSecret remove = pass(Operation.REMOVE, T0.plusSeconds(10));
        vault.afterReads.addAll(List.of(LifecycleState.PENDING_DELETION, LifecycleState.PENDING_DELETION,
                LifecycleState.ACTIVE));
        remove.recordThisOperation();
        remove.writeFirst(false);
        assertEquals(List.of("find", "cancel", "find", "find", "find", "update"), vault.calls,
                "after the cancel, a listing still saying PENDING_DELETION is waited out");
    }

    @Test
    void aWaitGivesUpAfterItsBackOffAndTheRefusalIsTheCallersToReport() {
        vault.put(LifecycleState.UPDATING, tags(false, null, null, null));
        StateSecret remove = pass(Operation.REMOVE, T0.plusSeconds(10));
        remove.recordThisOperation();
        VaultException e = assertThrows(VaultException.class, () -> remove.writeFirst(false));
        assertEquals(VaultException.Kind.INCORRECT_STATE, e.kind());
        assertEquals(6, slept.size(), "six waits: 0.25 s doubling to 8 s, about 16 s in all");
    }

    @Test
    void aRetryLooksAgainJustBeforeItWrites() {
        StateSecret retry = pass(Operation.SYNC, T0);
        assertEquals(Optional.empty(), retry.supersededBy(), "nothing recorded when it listed");
        // While it fetched the source, the user asked for a remove.
        vault.put(LifecycleState.UPDATING, tags(false, null, Operation.REMOVE, T0.plusSeconds(30)));
        assertEquals(Optional.of(Operation.REMOVE), retry.supersededNow());
        assertEquals(Optional.empty(), pass(Operation.REMOVE, T0).supersededNow(), "a remove's own retry goes on");
    }

    @Test
    void anInterruptedWaitWritesNothing() {
        vault.put(LifecycleState.UPDATING, tags(false, null, null, null));
        StateSecret remove = pass(Operation.REMOVE, T0.plusSeconds(10), d -> {
            throw new InterruptedException();
        });
        remove.recordThisOperation();
        VaultException e = assertThrows(VaultException.class, () -> remove.writeFirst(false));
        assertEquals(VaultException.Kind.TRANSIENT, e.kind());
        assertEquals(List.of("find"), vault.calls);
        Thread.interrupted(); // clear the flag the wait kept
    }
}
