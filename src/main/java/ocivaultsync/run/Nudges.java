package ocivaultsync.run;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.requeue.Nudge;

/**
 * This container's view of each sync's passes: whether one is running here, the nudge it sent and that is not yet
 * due, and whether triggers arrived meanwhile (docs/ARCHITECTURE.md, "Retries and hand-offs"). One pending nudge per
 * sync: an automatic trigger arriving while a pass runs marks the sync dirty (the union of the secrets to check
 * deeply) and the pass is followed by a nudge; one arriving while a nudge is pending that checks every secret it asks
 * for runs nothing. Nothing here is intent: every pass reads that from OCI, so this state can be lost (another
 * container, a restart) at the cost of a pass more, never of a wrong one.
 */
final class Nudges {

    /** What to do with a run that just arrived. */
    enum Entry {
        /** Run, and own the sync's running slot. */
        RUN,
        /** Run beside the pass already running (a manual run never waits: the user is told what it did). */
        ALONGSIDE,
        /** A pass runs here: the sync is marked dirty, and that pass is followed by a nudge. */
        DIRTY,
        /** The pending nudge does all of it. */
        COVERED
    }

    /** @param dirty the deep-check ids of the triggers that arrived while it ran; null when none did */
    private record Slot(boolean running, Set<String> dirty, Nudge pending) {
    }

    private static final Slot IDLE = new Slot(false, null, null);

    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    Nudges(Clock clock) {
        this.clock = clock;
    }

    /**
     * A run of {@code sync} arrives, checking {@code deep} deeply. A manual run, and a nudge being delivered, always
     * run; an automatic trigger is folded into a running pass or a pending nudge when there is one.
     */
    Entry enter(String sync, Set<String> deep, boolean joinable) {
        Entry[] entry = new Entry[1];
        slots.compute(sync, (k, v) -> {
            Slot s = v == null ? IDLE : v;
            Nudge pending = s.pending() != null && clock.instant().isBefore(s.pending().notBefore()) ? s.pending()
                    : null; // once due it may already be running elsewhere, past where it would see this trigger
            if (s.running()) {
                if (!joinable) {
                    entry[0] = Entry.ALONGSIDE;
                    return s;
                }
                Set<String> dirty = new HashSet<>(s.dirty() == null ? Set.of() : s.dirty());
                dirty.addAll(deep);
                entry[0] = Entry.DIRTY;
                return new Slot(true, Set.copyOf(dirty), pending);
            }
            if (joinable && pending != null && pending.covers(deep)) {
                entry[0] = Entry.COVERED;
                return new Slot(false, null, pending);
            }
            entry[0] = Entry.RUN;
            return new Slot(true, null, pending);
        });
        return entry[0];
    }

    /** The pending nudge, if it is still pending (for the report of a covered trigger). */
    Nudge pending(String sync) {
        Slot s = slots.get(sync);
        return s == null ? null : s.pending();
    }

    /** The nudge of this attempt is being delivered: nothing is pending any more. */
    void delivered(String sync, int attempt) {
        slots.computeIfPresent(sync, (k, s) -> s.pending() != null && s.pending().attempt() == attempt
                ? new Slot(s.running(), s.dirty(), null) : s);
    }

    /**
     * Ends the pass that owned the running slot, atomically with any trigger marking it dirty: answers the deep-check
     * ids of the triggers that arrived meanwhile, null when none did.
     */
    Set<String> exit(String sync) {
        Set<String>[] dirty = new Set[1];
        slots.computeIfPresent(sync, (k, s) -> {
            dirty[0] = s.dirty();
            return s.pending() == null ? null : new Slot(false, null, s.pending());
        });
        return dirty[0];
    }

    /** A nudge was sent: it is pending here until due. */
    void sent(Nudge n) {
        slots.compute(n.sync(), (k, s) -> s == null ? new Slot(false, null, n) : new Slot(s.running(), s.dirty(), n));
    }
}
