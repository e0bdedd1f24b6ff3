package ocivaultsync.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a pass records on its sync's state secret once it has written (docs/ARCHITECTURE.md, "State kept in OCI"),
 * decided here and written by the shell in one compare-and-set, only while the intent is the one the pass acted on:
 *
 * <ul>
 * <li>the initial run stays pending until a pass ends with none of its decisions outstanding (an import leaves it
 * pending: only a sync pass finishes it);</li>
 * <li>a manual operation that left work for later opens its work, so its retries carry its force and deep check
 * and run with auto-sync off;</li>
 * <li>open work is closed once a pass ends with nothing deferred or blocked.</li>
 * </ul>
 *
 * @param opens     the manual operation opens its work, with its {@code force} and {@code deep}
 * @param closes    the open work is done
 * @param initial   the initial run's state to record: pending or not (empty: leave it)
 * @param since     where a pending initial run's reach ends, by OCI's clock
 */
public record Bookkeeping(boolean opens, boolean force, boolean deep, boolean closes, Optional<Boolean> initial,
        Instant since) {

    /**
     * @param acted   the record the pass acted on (as it read or wrote it before its writes)
     * @param manual  the pass is a manual operation's (not a dry run)
     * @param outcome every change of the pass, carried out or not
     */
    public static Bookkeeping after(SyncRecord acted, boolean manual, boolean force, boolean deep, Plan plan,
            Operation op, Planner.Input input, List<PlannedChange> outcome, Instant since) {
        boolean deferred = outcome.stream().anyMatch(c -> c.status() == ResultStatus.DEFERRED);
        boolean waits = deferred || outcome.stream().anyMatch(c -> c.status() == ResultStatus.BLOCKED);
        Optional<Boolean> initial = Optional.empty();
        if (plan.initial() && op != Operation.REMOVE) {
            boolean outstanding = op != Operation.SYNC || Planner.initialOutstanding(input, outcome);
            if (outstanding != acted.initialPending()) {
                initial = Optional.of(outstanding);
            }
        }
        return new Bookkeeping(manual && deferred && !acted.open(), force, deep, acted.open() && !waits, initial,
                since);
    }

    /** Whether there is anything to record. */
    public boolean writes() {
        return opens || closes || initial.isPresent();
    }

    /** Whether a sync without a state secret needs one for this: only to say its initial run is pending. */
    public boolean creates() {
        return opens || initial.orElse(false);
    }

    /**
     * The record to write over {@code fresh}, the state secret as it is now. A pending initial run another container
     * began meanwhile (another start than {@code listedSince}) is not this pass's to close.
     */
    public SyncRecord applyTo(SyncRecord fresh, Optional<Instant> listedSince) {
        SyncRecord next = opens ? fresh.opened(force, deep) : closes && fresh.open() ? fresh.closed() : fresh;
        if (initial.isEmpty() || !fresh.initialSince().equals(listedSince)) {
            return next;
        }
        return next.withInitial(initial.get(), Optional.of(since));
    }
}
