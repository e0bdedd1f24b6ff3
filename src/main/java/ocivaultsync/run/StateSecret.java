package ocivaultsync.run;

import java.time.Clock;
import java.time.Instant;
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
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SyncState;

/**
 * A sync's state secret as one pass sees and writes it: whether the initial run is pending and since when, and the
 * newest explicit operation (docs/ARCHITECTURE.md, "State kept in OCI"). The rules are {@link SyncState}'s; this is
 * the I/O around them, apart from {@link SyncPass} because writing the record safely takes a few steps: wait out a
 * transitional state, re-read what another container may have written meanwhile, never move the record backwards.
 */
final class StateSecret {

    /** A newer operation of another kind was recorded while this pass ran: it must not write. */
    static final class Superseded extends RuntimeException {
        final transient Operation by;

        Superseded(Operation by) {
            super("superseded by a later " + by.wire(), null, false, false);
            this.by = by;
        }
    }

    private final String sync;
    private final VaultPort vault;
    private final Destination target;
    private final Operation op;
    /** When the chain of this pass began (null: unknown, an old retry message). */
    private final Instant since;
    /** Where a new initial run's reach ends: after everything this pass listed. */
    private final Instant windowStart;
    private final Instant deadline;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxWaits;

    /** As listed, or as this pass wrote it; null when the sync has none. */
    private DestinationSecret marker;
    private boolean pending;
    /** Whether this pass cancelled its deletion: then only ACTIVE ends a wait (the list may lag the cancel). */
    private boolean cancelled;
    private Optional<Instant> initialSince;
    private Optional<SyncState.LastOperation> record;

    StateSecret(String sync, VaultPort vault, Destination target, List<DestinationSecret> listing, Operation op,
            Instant since, Instant passStarted, Instant deadline, Clock clock, Sleeper sleeper, Backoff backoff,
            int maxWaits) {
        this.sync = sync;
        this.vault = vault;
        this.target = target;
        this.op = op;
        this.since = since;
        this.windowStart = listing.stream().map(DestinationSecret::timeCreated).filter(java.util.Objects::nonNull)
                .map(t -> t.plusMillis(1)).filter(t -> t.isAfter(passStarted)).max(Instant::compareTo)
                .orElse(passStarted);
        this.deadline = deadline;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.maxWaits = maxWaits;
        read(listing);
    }

    private void read(List<DestinationSecret> listing) {
        marker = SyncState.find(sync, listing).orElse(null);
        pending = SyncState.initialPending(sync, listing);
        initialSince = SyncState.initialSince(sync, listing);
        record = SyncState.lastOperation(marker);
    }

    /** The operation of another kind recorded after this pass's chain began, if any. */
    Optional<Operation> supersededBy() {
        return SyncState.supersededBy(record, op, since);
    }

    /** Whether this pass, an explicit operation, changes the kind the record names, and so must record itself. */
    boolean changesKind() {
        return since != null && !SyncState.sameKind(SyncState.recordedKind(record), op);
    }

    /**
     * Reads the record again, just before a retry writes: a remove recorded while this pass fetched the source (which
     * may take long) supersedes it as surely as one recorded before it listed. One list call; a failed read is no
     * answer, and the pass goes on as listed.
     */
    Optional<Operation> supersededNow() {
        try {
            return SyncState.supersededBy(SyncState.lastOperation(SyncState.find(sync,
                    vault.findByName(target, SyncState.nameFor(sync))).orElse(null)), op, since);
        } catch (VaultException e) {
            return Optional.empty();
        }
    }

    /** From now on, writes record this pass's operation as the newest. */
    void recordThisOperation() {
        record = Optional.of(SyncState.next(record, op, since));
    }

    boolean pending() {
        return pending;
    }

    /** Whether the listing showed it pending and ACTIVE: nothing to write to keep it so. */
    boolean pendingAndActive() {
        return pending && marker != null && marker.state() == LifecycleState.ACTIVE;
    }

    /**
     * The state secret as a planner deciding one name again should see it: pending since the initial run began (this
     * pass's reach when it marked nothing). A secret that took a name after the listing is newer than that, so it is
     * never the initial run's to adopt, whatever the one-name listing around it says.
     */
    DestinationSecret asWindow() {
        return new DestinationSecret(marker == null ? "" : marker.id(), SyncState.nameFor(sync),
                LifecycleState.ACTIVE, SyncState.tags(sync, true, Optional.of(initialSince.orElse(windowStart)),
                        Optional.empty()), null);
    }

    boolean exists() {
        return marker != null;
    }

    String id() {
        return marker == null ? null : marker.id();
    }

    /**
     * Before the pass's first write: marks the initial run pending when {@code markPending} (never clears it: another
     * container may have marked it meanwhile) and carries the record, creating the state secret or waiting for it to
     * leave a transitional state. Throws {@link Superseded} when a newer record of the other kind began after this
     * pass's chain.
     */
    void writeFirst(boolean markPending) {
        if (marker == null && create(markPending || pending)) {
            return;
        }
        settle(maxWaits);
        write(markPending || pending);
    }

    /**
     * After the pass's writes: says whether the initial run is still pending. Tries once: failing only leaves the
     * marker for the next pass. Leaves it alone when another container began an initial run of its own meanwhile.
     */
    void writeClosing(boolean pendingNow) {
        Optional<Instant> listed = initialSince;
        if (marker == null && create(pendingNow)) {
            return;
        }
        settle(0);
        if (!pendingNow && pending && !initialSince.equals(listed)) {
            return; // someone else's pending run: not this pass's to close
        }
        write(pendingNow);
    }

    /** Creates the state secret; false when another container created it meanwhile (then it is re-read). */
    private boolean create(boolean pendingNow) {
        Map<String, String> tags = tags(pendingNow);
        try {
            String id = vault.create(target, SyncState.nameFor(sync), SyncState.value(sync), tags);
            marker = new DestinationSecret(id, SyncState.nameFor(sync), LifecycleState.CREATING, tags, null);
            pending = pendingNow;
            initialSince = SyncState.initialSince(sync, List.of(marker));
            return true;
        } catch (VaultException e) {
            if (e.kind() != VaultException.Kind.NAME_EXISTS) {
                throw e;
            }
            return false;
        }
    }

    private void write(boolean pendingNow) {
        if (marker.state() == LifecycleState.PENDING_DELETION) { // an older release's remove scheduled it
            vault.cancelDeletion(marker.id());
            cancelled = true;
            settle(maxWaits);
        }
        Map<String, String> tags = tags(pendingNow);
        vault.update(marker.id(), null, tags);
        pending = pendingNow;
        initialSince = SyncState.initialSince(sync, List.of(new DestinationSecret(marker.id(), marker.name(),
                LifecycleState.ACTIVE, tags, null)));
    }

    /**
     * The initial run began when the pass that first marked it pending started, or just after the newest secret it
     * listed if OCI's clock is ahead of this container's: what it listed it may decide about, and what a user creates
     * after that is never the initial run's to adopt or delete.
     */
    private Map<String, String> tags(boolean pendingNow) {
        Optional<Instant> began = !pendingNow ? Optional.empty() : pending ? initialSince : Optional.of(windowStart);
        return SyncState.tags(sync, pendingNow, began, record);
    }

    /**
     * Re-reads the state secret (another container may have written it since the listing) until it is ACTIVE or
     * PENDING_DELETION, waiting by the back-off between reads, at most {@code waits} times and never past the
     * deadline: its transitional states last seconds, and an update meanwhile would be refused.
     */
    private void settle(int waits) {
        String name = SyncState.nameFor(sync);
        for (int n = 0;; n++) {
            List<DestinationSecret> holders = vault.findByName(target, name);
            if (SyncState.squatter(sync, holders).isPresent()) {
                throw new VaultException(VaultException.Kind.INVALID, 409, "NameHeld", "the secret " + name
                        + " holds the name of this sync's state secret but is not one; rename or delete it", null);
            }
            DestinationSecret fresh = SyncState.find(sync, holders).orElseThrow(() -> new VaultException(
                    VaultException.Kind.INCORRECT_STATE, 409, "IncorrectState", "this sync's state secret "
                            + name + " disappeared while this pass ran", null));
            Optional<SyncState.LastOperation> theirs = SyncState.lastOperation(fresh);
            SyncState.supersededBy(theirs, op, since).ifPresent(by -> {
                throw new Superseded(by);
            });
            record = SyncState.newer(record, theirs);
            pending = SyncState.initialPending(sync, holders);
            initialSince = SyncState.initialSince(sync, holders);
            marker = fresh;
            LifecycleState s = fresh.state();
            if (s == LifecycleState.ACTIVE || s == LifecycleState.PENDING_DELETION && !cancelled || n >= waits
                    || !clock.instant().plus(backoff.delay(n)).isBefore(deadline)) {
                return;
            }
            try {
                sleeper.sleep(backoff.delay(n));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VaultException(VaultException.Kind.TRANSIENT, 0, "Interrupted", "interrupted while "
                        + "waiting for this sync's state secret to leave " + s, null);
            }
        }
    }
}
