package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.reconcile.Claims;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.Mode;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SyncRecord;
import org.junit.jupiter.api.Test;

/**
 * How a pass writes the state secret while other containers write it too: every write a compare-and-set with the
 * etag of the read it was made over, a 412 made again over what is there now, a later intent never overwritten by an
 * earlier operation's bookkeeping, a state secret the user scheduled for deletion never brought back. A vault port
 * whose secrets the test changes between a read and a write: the steps between calls the emulator cannot stop at.
 */
class StateSecretTest {

    static final Destination D = new Destination("r", "c", "v", "k");
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    /** Secrets with etags; {@code beforeWrite} runs once, just before the next update or create takes effect. */
    static final class Secrets implements VaultPort {
        final Map<String, DestinationSecret> byId = new LinkedHashMap<>();
        final Map<String, Integer> etags = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        Runnable beforeWrite;
        int n;

        /** Tags of a state secret are signed as this function would have signed them, unless they carry a claim. */
        String put(String id, String name, LifecycleState state, Map<String, String> tags) {
            Map<String, String> t = tags.containsKey("ovs_state") && !tags.containsKey("ovs_claim")
                    ? CLAIMS.signState(tags.get("ovs_state"), name, tags) : tags;
            byId.put(id, new DestinationSecret(id, name, state, t, null, T0));
            etags.merge(id, 1, Integer::sum);
            return id;
        }

        private void race() {
            Runnable r = beforeWrite;
            beforeWrite = null;
            if (r != null) {
                r.run();
            }
        }

        @Override
        public List<DestinationSecret> list(Destination t) {
            return List.copyOf(byId.values());
        }

        @Override
        public List<DestinationSecret> findByName(Destination t, String name) {
            calls.add("find " + name);
            return byId.values().stream().filter(s -> s.name().equals(name)).toList();
        }

        @Override
        public String create(Destination t, String name, SecretValue v, Map<String, String> tags) {
            calls.add("create " + name);
            race();
            if (byId.values().stream().anyMatch(s -> s.name().equals(name))) {
                throw new VaultException(VaultException.Kind.NAME_EXISTS, 400, "InvalidParameter", "already exists",
                        null);
            }
            return put("id" + (++n + 10), name, LifecycleState.ACTIVE, tags);
        }

        @Override
        public Versioned get(String id) {
            calls.add("get");
            DestinationSecret s = byId.get(id);
            if (s == null) {
                throw new VaultException(VaultException.Kind.NOT_FOUND, 404, "NotAuthorizedOrNotFound", "gone", null);
            }
            return new Versioned(s, "e" + etags.get(id), 1);
        }

        @Override
        public long update(String id, SecretValue v, Map<String, String> tags, String ifMatch) {
            calls.add("update");
            race();
            DestinationSecret s = byId.get(id);
            if (!ifMatch.equals("e" + etags.get(id))) {
                throw new VaultException(VaultException.Kind.CONFLICT, 412, "NoEtagMatch", "etag", null);
            }
            if (s.state() != LifecycleState.ACTIVE) {
                throw new VaultException(VaultException.Kind.INCORRECT_STATE, 409, "IncorrectState",
                        "The secret is in state " + s.state(), null);
            }
            put(id, s.name(), LifecycleState.ACTIVE, tags);
            return 1;
        }

        @Override
        public void scheduleDeletion(String id, Instant t) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancelDeletion(String id) {
            throw new UnsupportedOperationException("the product never cancels a state secret's deletion");
        }

        @Override
        public SecretValue readCurrent(String id) {
            throw new UnsupportedOperationException();
        }

        /** The tags of a secret, its claim aside (checked where it matters). */
        Map<String, String> tags(String id) {
            Map<String, String> t = new LinkedHashMap<>(byId.get(id).freeformTags());
            t.remove("ovs_claim");
            return t;
        }
    }

    static final Claims CLAIMS = Claims.of(FingerprintKey.of("state-secret-test-key-0123456789abcdef"));

    final Secrets vault = new Secrets();
    final List<Duration> slept = new ArrayList<>();

    StateSecret pass(Sleeper sleeper) {
        return new StateSecret("app", CLAIMS, vault, D, vault.list(D), T0.plusSeconds(300), Clock.fixed(T0, ZoneOffset.UTC),
                sleeper, new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8)), 6);
    }

    StateSecret pass() {
        return pass(slept::add);
    }

    /** Another container's manual operation, recorded as it would record it. */
    void anotherContainerRecords(Operation op) {
        pass().recordIntent(op, x -> x);
    }

    @Test
    void aManualOperationCreatesTheStateSecretWhenThereIsNoneAndRecordsTheNextGenerationWhenThereIs() {
        StateSecret firstPass = pass();
        firstPass.createsPendingInitialRun(T0); // an initial run that could touch an untagged secret
        SyncRecord first = firstPass.recordIntent(Operation.REMOVE, x -> x);
        assertEquals(List.of("create ovs-state-app"), vault.calls);
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "1", "ovs_op", "remove",
                "ovs_initial", "pending", "ovs_initial_since", Long.toString(T0.toEpochMilli())),
                vault.tags(first.secretId()), "an initial sync is marked pending in the same write");
        vault.calls.clear();
        StateSecret secondPass = pass();
        secondPass.createsPendingInitialRun(T0); // as it was listed: it applies only to a state secret it creates
        SyncRecord second = secondPass.recordIntent(Operation.SYNC, x -> x.opened(true, false));
        assertEquals(List.of("get", "update"), vault.calls, "a read for the etag, one conditional write");
        assertEquals(2, second.generation());
        assertEquals("active", vault.tags(first.secretId()).get("ovs_mode"));
        assertEquals("true", vault.tags(first.secretId()).get("ovs_force"));
        assertEquals("pending", vault.tags(first.secretId()).get("ovs_initial"), "bookkeeping left as it was");
    }

    /** The status a failing pass leaves: one failure more than the tags it is written over say. */
    static final java.util.function.UnaryOperator<Map<String, String>> FAILED = t -> ocivaultsync.report.PassStatus
            .after(ocivaultsync.report.PassStatus.of(t), ocivaultsync.report.PassOutcome.FAILED,
                    Optional.of("source: down"), Optional.of(T0)).overlay(t);

    @Test
    void aStatusWriteOverlaysItsTagsOnAFreshReadCountsOnAfterAnotherAndStopsAtALaterIntent() {
        anotherContainerRecords(Operation.SYNC);
        StateSecret mine = pass();
        String id = mine.current().secretId();
        vault.beforeWrite = () -> pass().recordStatus(FAILED); // another container's failing pass lands in between
        mine.recordStatus(FAILED);
        assertEquals("2", vault.tags(id).get("ovs_failures"), "412, read again, counted on from theirs");
        assertEquals("sync", vault.tags(id).get("ovs_op"));

        StateSecret late = pass();
        vault.beforeWrite = () -> anotherContainerRecords(Operation.REMOVE);
        assertThrows(StateSecret.Superseded.class, () -> late.recordStatus(FAILED), "a later intent: nothing written");
        assertEquals("removed", vault.tags(id).get("ovs_mode"));
        assertEquals("2", vault.tags(id).get("ovs_failures"), "the status of a pass toward the replaced intent is "
                + "not written over the new one");

        vault.calls.clear();
        pass().recordStatus(UnaryOperator.identity());
        assertEquals(List.of("get"), vault.calls, "no change, no write");
    }

    @Test
    void aStatusWriteNeverWaitsForAStateSecretStillCreatingAndCreatesOneWhenThereIsNone() {
        StateSecret first = pass();
        first.recordStatus(FAILED);
        assertEquals(List.of("create ovs-state-app"), vault.calls, "a sync without one gets one to show its status");
        String id = first.current().secretId();
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "0", "ovs_initial", "done",
                "ovs_status", "FAILED", "ovs_status_since", Long.toString(T0.toEpochMilli()), "ovs_failures", "1",
                "ovs_reason", "source: down"), vault.tags(id));
        vault.put(id, "ovs-state-app", LifecycleState.CREATING, vault.tags(id));
        VaultException e = assertThrows(VaultException.class, () -> pass().recordStatus(FAILED));
        assertEquals(VaultException.Kind.INCORRECT_STATE, e.kind());
        assertEquals(List.of(), slept, "given up at once: the next pass records it");
    }

    @Test
    void anOperationWhoseWriteMeetsANewerOneIsRecordedAgainOverItAndSoOrderedAfterIt() {
        anotherContainerRecords(Operation.SYNC);
        StateSecret mine = pass();
        vault.beforeWrite = () -> anotherContainerRecords(Operation.SYNC); // lands between my read and my write
        SyncRecord r = mine.recordIntent(Operation.REMOVE, x -> x);
        assertEquals(3, r.generation(), "after theirs (2): OCI's order of the writes, no clock");
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "3", "ovs_op", "remove",
                "ovs_initial", "done"), vault.tags(r.secretId()));
    }

    @Test
    void twoContainersCreatingItAtOnceEndWithOneStateSecretAndBothIntentsInOrder() {
        StateSecret mine = pass();
        vault.beforeWrite = () -> anotherContainerRecords(Operation.SYNC);
        SyncRecord r = mine.recordIntent(Operation.REMOVE, x -> x);
        assertEquals(1, vault.byId.size(), "no second state secret");
        assertEquals(2, r.generation());
        assertEquals("removed", vault.tags(r.secretId()).get("ovs_mode"));
    }

    @Test
    void aPassNeverWritesOverALaterIntentItsOwnBookkeepingStopsAsSuperseded() {
        StateSecret mine = pass();
        SyncRecord recorded = mine.recordIntent(Operation.SYNC, x -> x.opened(true, false));
        assertTrue(mine.stillCurrent());
        anotherContainerRecords(Operation.REMOVE);
        assertFalse(mine.stillCurrent(), "read once more before the first write");
        assertThrows(StateSecret.Superseded.class, () -> mine.markPending(T0));
        assertThrows(StateSecret.Superseded.class, () -> mine.close(SyncRecord::closed, StateSecret.UNCHANGED, false));
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "2", "ovs_op", "remove",
                "ovs_initial", "done"), vault.tags(recorded.secretId()),
                "the later remove as it recorded itself: the earlier sync's force is gone with its generation");
    }

    @Test
    void aRecordCreatedMeanwhileWhereThereWasNoneSupersedesAPassThatListedNone() {
        StateSecret mine = pass();
        anotherContainerRecords(Operation.REMOVE);
        assertFalse(mine.stillCurrent());
        StateSecret auto = pass();
        assertTrue(auto.stillCurrent());
    }

    @Test
    void automaticBookkeepingKeepsTheIntentAndOthersTags() {
        anotherContainerRecords(Operation.SYNC);
        String id = vault.byId.keySet().iterator().next();
        Map<String, String> withTeam = new LinkedHashMap<>(vault.tags(id));
        withTeam.put("team", "payments");
        vault.put(id, "ovs-state-app", LifecycleState.ACTIVE, withTeam);
        pass().markPending(T0.plusSeconds(5));
        assertEquals("payments", vault.tags(id).get("team"));
        assertEquals("1", vault.tags(id).get("ovs_gen"));
        assertEquals("pending", vault.tags(id).get("ovs_initial"));
        vault.calls.clear();
        pass().markPending(T0.plusSeconds(9));
        assertEquals(List.of("get"), vault.calls, "already pending: no write, and the start it recorded stays");
        assertEquals(Long.toString(T0.plusSeconds(5).toEpochMilli()), vault.tags(id).get("ovs_initial_since"));
    }

    @Test
    void aStateSecretTheUserScheduledForDeletionIsAbsentItsDeletionNeverCancelledItsNameNeverReused() {
        vault.put("old", "ovs-state-app", LifecycleState.PENDING_DELETION, Map.of("ovs_state", "app",
                "ovs_mode", "removed", "ovs_gen", "7"));
        StateSecret p = pass();
        assertEquals(SyncRecord.absent(), p.current(), "absent: active, nothing asked");
        SyncRecord r = p.recordIntent(Operation.REMOVE, x -> x);
        assertEquals("ovs-state-app.2", r.name(), "the old one keeps its name until OCI purges it");
        assertEquals(LifecycleState.PENDING_DELETION, vault.byId.get("old").state());
        assertEquals(1, r.generation());
    }

    @Test
    void aStateSecretDeletedWhileAPassRanStopsThatPasssBookkeeping() {
        StateSecret mine = pass();
        SyncRecord r = mine.recordIntent(Operation.SYNC, x -> x);
        vault.put(r.secretId(), r.name(), LifecycleState.PENDING_DELETION, vault.tags(r.secretId()));
        assertThrows(StateSecret.Superseded.class, () -> mine.close(SyncRecord::closed, StateSecret.UNCHANGED, false));
        assertEquals(LifecycleState.PENDING_DELETION, vault.byId.get(r.secretId()).state());
    }

    @Test
    void aTransitionalStateIsWaitedOutByTheBackOffThenTheRefusalIsTheCallers() {
        vault.put("s", "ovs-state-app", LifecycleState.UPDATING, Map.of("ovs_state", "app"));
        VaultException e = assertThrows(VaultException.class, () -> pass().markPending(T0));
        assertEquals(VaultException.Kind.INCORRECT_STATE, e.kind());
        assertEquals("this sync's state secret ovs-state-app stayed UPDATING", e.getMessage());
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L), slept.stream().map(Duration::toMillis)
                .toList(), "the back-off, six times");
        assertEquals(Map.of("ovs_state", "app"), vault.tags("s"), "nothing written");
    }

    @Test
    void anInterruptedWaitWritesNothing() {
        vault.put("s", "ovs-state-app", LifecycleState.CREATING, Map.of("ovs_state", "app"));
        VaultException e = assertThrows(VaultException.class, () -> pass(d -> {
            throw new InterruptedException();
        }).markPending(T0));
        assertEquals("Interrupted", e.code());
        assertTrue(Thread.interrupted(), "the interrupt is kept");
        assertEquals(Map.of("ovs_state", "app"), vault.tags("s"));
    }

    @Test
    void aStateSecretOfAnotherSyncOrAUsersSecretOfThatNameIsNeverWritten() {
        vault.put("mine", "ovs-state-app", LifecycleState.ACTIVE, Map.of("owner", "someone"));
        SyncRecord r = pass().recordIntent(Operation.SYNC, x -> x);
        assertEquals("ovs-state-app.2", r.name());
        assertEquals(Map.of("owner", "someone"), vault.tags("mine"));
        assertEquals(Optional.of(Mode.ACTIVE), r.mode());
    }
}
