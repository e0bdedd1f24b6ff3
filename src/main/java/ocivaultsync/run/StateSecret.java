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
    private final Instant passStarted;
    private final Instant deadline;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxWaits;

    /** As listed, or as this pass wrote it; null when the sync has none. */
    private DestinationSecret marker;
    private boolean pending;
    /** Whether this pass created it: then it is still CREATING, and nobody else has written it. */
    private boolean createdHere;
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
        this.passStarted = passStarted;
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

    boolean exists() {
        return marker != null;
    }

    String id() {
        return marker == null ? null : marker.id();
    }

    /**
     * Writes the state secret: creates it, or (when it exists, or another container created it meanwhile) waits for
     * it to leave a transitional state, cancels a deletion (an older release's remove scheduled one), keeps a newer
     * record another container wrote meanwhile, and retags it. Throws {@link Superseded} when that newer record is
     * of another kind and began after this pass's chain. {@code wait}: whether to wait out a transitional state
     * (before a pass's first write, where failing costs the whole pass) or to try once (after it, where failing only
     * leaves the marker for the next pass).
     */
    void write(boolean pendingNow, boolean wait) {
        if (marker == null) {
            Map<String, String> tags = tags(pendingNow);
            try {
                String id = vault.create(target, SyncState.nameFor(sync), SyncState.value(sync), tags);
                marker = new DestinationSecret(id, SyncState.nameFor(sync), LifecycleState.CREATING, tags, null);
                createdHere = true;
                pending = pendingNow;
                initialSince = SyncState.initialSince(sync, List.of(marker));
                return;
            } catch (VaultException e) {
                if (e.kind() != VaultException.Kind.NAME_EXISTS) {
                    throw e;
                }
            }
        }
        if (!createdHere) {
            settle(wait ? maxWaits : 0);
        }
        if (marker.state() == LifecycleState.PENDING_DELETION) {
            vault.cancelDeletion(marker.id());
            settle(maxWaits); // CANCELLING_DELETION lasts seconds: the update would be refused meanwhile
        }
        Map<String, String> tags = tags(pendingNow);
        vault.update(marker.id(), null, tags);
        pending = pendingNow;
        initialSince = SyncState.initialSince(sync, List.of(new DestinationSecret(marker.id(), marker.name(),
                LifecycleState.ACTIVE, tags, null)));
    }

    /**
     * The initial run began when the pass that first marked it pending started (before it listed), so what a user
     * creates after that is never the initial run's to adopt or delete.
     */
    private Map<String, String> tags(boolean pendingNow) {
        Optional<Instant> began = !pendingNow ? Optional.empty() : pending ? initialSince : Optional.of(passStarted);
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
            boolean wasPending = pending;
            pending = SyncState.initialPending(sync, holders);
            initialSince = wasPending && initialSince.isPresent() ? initialSince
                    : SyncState.initialSince(sync, holders);
            marker = fresh;
            LifecycleState s = fresh.state();
            if (s == LifecycleState.ACTIVE || s == LifecycleState.PENDING_DELETION || n >= waits
                    || !clock.instant().plus(backoff.delay(n)).isBefore(deadline)) {
                return;
            }
            try {
                sleeper.sleep(backoff.delay(n));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
