package ocivaultsync.run;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.reconcile.Claims;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SyncRecord;

/**
 * A sync's state secret as one pass reads and writes it (docs/ARCHITECTURE.md, "State kept in OCI"). The rules of
 * what it says are {@link SyncRecord}'s; this is the I/O, and its one discipline: every write is a compare-and-set.
 * It reads the secret (GetSecret), changes what it read, and writes with that read's etag; OCI refuses a write over
 * a newer one (412), and the change is made again over what is there now. So the order of two intents is the order
 * in which OCI accepted their writes, whatever the containers' clocks say, and no write loses another's.
 */
final class StateSecret {

    /** The intent this pass acts on was replaced by a later manual operation: it must not write. */
    static final class Superseded extends RuntimeException {
        Superseded() {
            super("superseded by a later operation", null, false, false);
        }
    }

    /**
     * A state secret of this sync whose claim does not verify ({@link Claims}): its tags were written by someone else,
     * or under a fingerprint key this function no longer has. Nothing is planned or written while it is there.
     */
    static final class Unverified extends RuntimeException {
        Unverified(DestinationSecret s) {
            super("the state secret " + s.name() + " (" + s.id() + ") is tagged " + OwnershipTags.STATE + "="
                    + s.freeformTags().get(OwnershipTags.STATE) + " but the claim of its tags does not verify: someone "
                    + "other than this function changed them, or signed them under a fingerprint key it no longer "
                    + "has; nothing is planned or written until that secret's deletion is scheduled (the next manual "
                    + "sync, import or remove then records this sync's intent on a new one)", null, false, false);
        }
    }

    /** A write that leaves the status tags as they are. */
    static final UnaryOperator<Map<String, String>> UNCHANGED = t -> t;

    /** A compare-and-set that keeps meeting newer writes gives up after this many. */
    private static final int MAX_CONFLICTS = 5;

    private final String sync;
    private final Claims claims;
    private final VaultPort vault;
    private final Destination target;
    private final Instant deadline;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxWaits;
    /** Names a new state secret cannot take: every name the listing shows, and any found taken since. */
    private final Set<String> taken = new HashSet<>();
    /** As listed, then as this pass last read or wrote it. */
    private SyncRecord current;
    /** What a state secret this pass creates records besides the write's own change. */
    private UnaryOperator<SyncRecord> onCreate = UnaryOperator.identity();

    /** @throws Unverified when the listing shows a live state secret of this sync whose claim does not verify */
    StateSecret(String sync, Claims claims, VaultPort vault, Destination target, List<DestinationSecret> listing,
            Instant deadline, Clock clock, Sleeper sleeper, Backoff backoff, int maxWaits) {
        this.sync = sync;
        this.claims = claims;
        this.vault = vault;
        this.target = target;
        this.deadline = deadline;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.maxWaits = maxWaits;
        listing.forEach(s -> taken.add(s.name()));
        listing.stream().filter(s -> s.isStateOf(sync) && SyncRecord.isLive(s.state())).forEach(this::verified);
        this.current = SyncRecord.in(sync, listing);
    }

    /** Whether the record's claim was made under a fingerprint key other than the current one (a rotation). */
    boolean signedUnderOlderKey() {
        return current.exists() && !claims.underCurrentKey(current.tags());
    }

    /**
     * A sync whose initial run has not happened (no state secret, nothing of its own in the listing) and could touch
     * an untagged secret: whatever write creates its state secret, its status say, records that run pending, its
     * reach ending at {@code reachEnd}, so the secrets it would adopt stay within the reach of a later pass.
     */
    void createsPendingInitialRun(Instant reachEnd) {
        onCreate = pendingFrom(reachEnd);
    }

    /** The initial run pending, its reach ending at {@code reachEnd}; a record that says so already is kept. */
    private static UnaryOperator<SyncRecord> pendingFrom(Instant reachEnd) {
        return r -> r.initialPending() ? r : r.withInitial(true, Optional.of(reachEnd));
    }

    /** The record as this pass last saw it. */
    SyncRecord current() {
        return current;
    }

    /**
     * A manual operation's first step: the next generation with its mode (and {@code also}: a hand-off opens its
     * work there and then), written over whatever is there now (created when the sync has none, as
     * {@link #createsPendingInitialRun} says).
     */
    SyncRecord recordIntent(Operation op, UnaryOperator<SyncRecord> also) {
        return write(r -> also.apply(r.recording(op)), UNCHANGED, false, true, maxWaits);
    }

    /**
     * Whether the intent this pass acts on is still the recorded one: read once more just before the first write
     * (a manual operation recorded while the source was read supersedes this pass). One call.
     */
    boolean stillCurrent() {
        return fresh().map(f -> f.sameIntent(current)).orElse(!current.exists() || current.generation() == 0);
    }

    /** Before the first write that touches an untagged secret: the initial run is pending, its reach recorded. */
    void markPending(Instant reachEnd) {
        write(pendingFrom(reachEnd), UNCHANGED, true, true, maxWaits);
    }

    /**
     * After the pass's writes: {@code change} over the secret as it is now, and {@code status} over its tags (the
     * pass's outcome, {@link ocivaultsync.report.PassStatus}), in one write, made only when it changes something,
     * only while the intent is the one this pass acted on, never creating a state secret unless {@code create}.
     * The status overlays its own tags only: every other tag, the intent's included, is the one just read.
     */
    void close(UnaryOperator<SyncRecord> change, UnaryOperator<Map<String, String>> status, boolean create) {
        write(change, status, true, create, maxWaits);
    }

    /**
     * The status alone ({@code status} over the tags as they are now), created with the state secret when the sync
     * has none: as {@link #close}, except that it never waits for a transitional state to end (a state secret this
     * pass created may still be CREATING): it gives up with 409 at once, and the next pass records it.
     */
    void recordStatus(UnaryOperator<Map<String, String>> status) {
        recordStatus(UnaryOperator.identity(), status);
    }

    /**
     * As {@link #recordStatus(UnaryOperator)}, with bookkeeping a later pass can do as well ({@code change}: closing
     * finished work, the initial run done), so a first pass does not sit out its own create.
     */
    void recordStatus(UnaryOperator<SyncRecord> change, UnaryOperator<Map<String, String>> status) {
        write(change, status, true, true, 0);
    }

    /** The state secret read now (GetSecret, or a listing of the name a new one would take); empty when absent. */
    private Optional<SyncRecord> fresh() {
        if (current.exists()) {
            return read(current.secretId()).map(v -> SyncRecord.of(v.secret()));
        }
        return SyncRecord.find(sync, vault.findByName(target, SyncRecord.nameFor(sync, taken))).map(this::verified)
                .map(SyncRecord::of);
    }

    /** GetSecret of this sync's state secret; empty when it is gone or on its way out (never cancelled). */
    private Optional<VaultPort.Versioned> read(String id) {
        try {
            VaultPort.Versioned v = vault.get(id);
            if (!v.secret().isStateOf(sync) || !SyncRecord.isLive(v.secret().state())) {
                return Optional.empty();
            }
            verified(v.secret());
            return Optional.of(v);
        } catch (VaultException e) {
            if (e.kind() != VaultException.Kind.NOT_FOUND) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * The compare-and-set: read, change, write with the read's etag, again on a 412. Waits (by the back-off, at most
     * {@code mayWait} times, never past the deadline) while the secret is CREATING or UPDATING: an update meanwhile
     * would be refused. A sync without one gets one under the first free name, when {@code create}; one another
     * container created meanwhile is written over instead.
     *
     * @param status     the change of the tags that follows {@code change}'s: only the status tags
     * @param sameIntent stop with {@link Superseded} if a later manual operation was recorded since this pass read it,
     *                   or its state secret is gone
     */
    private SyncRecord write(UnaryOperator<SyncRecord> change, UnaryOperator<Map<String, String>> status,
            boolean sameIntent, boolean create, int mayWait) {
        for (int waits = 0, conflicts = 0;;) {
            if (!current.exists()) {
                SyncRecord next = onCreate.apply(change.apply(current));
                if (!create || created(next, status.apply(next.tagsFor(sync)), sameIntent)) {
                    return current;
                }
                continue;
            }
            Optional<VaultPort.Versioned> read = read(current.secretId());
            if (read.isEmpty()) {
                if (sameIntent && current.generation() > 0) {
                    throw new Superseded(); // the record this pass acted on is gone: the user deleted it
                }
                taken.add(current.name());
                current = SyncRecord.absent();
                continue;
            }
            SyncRecord seen = seen(SyncRecord.of(read.get().secret()), sameIntent);
            SyncRecord next = change.apply(seen);
            // A record the change leaves as it is keeps its tags exactly as read (one this product cannot read, an
            // unknown mode say, is not rewritten by a write that is only about the status); the claim is made again
            // over what is written (under the current key, after a rotation).
            Map<String, String> tags = claims.signState(sync, seen.name(),
                    status.apply(next.equals(seen) ? seen.tags() : next.tagsFor(sync)));
            if (seen.state() == LifecycleState.ACTIVE && tags.equals(seen.tags())) {
                return seen;
            }
            try {
                if (seen.state() == LifecycleState.ACTIVE) {
                    vault.update(seen.secretId(), null, tags, read.get().etag());
                    current = next.at(new DestinationSecret(seen.secretId(), seen.name(), LifecycleState.ACTIVE,
                            tags, null));
                    return current;
                }
            } catch (VaultException e) {
                if (e.kind() == VaultException.Kind.CONFLICT && ++conflicts < MAX_CONFLICTS) {
                    continue; // written since it was read: make the change again over what is there now
                }
                if (e.kind() != VaultException.Kind.INCORRECT_STATE) {
                    throw e;
                }
            }
            waitOut(seen.state(), waits++, mayWait);
        }
    }

    /**
     * Creates the state secret as {@code next}, tagged {@code tags}; false when the name was taken meanwhile (then read
     * who holds it).
     */
    private boolean created(SyncRecord next, Map<String, String> tags, boolean sameIntent) {
        String name = SyncRecord.nameFor(sync, taken);
        Map<String, String> signed = claims.signState(sync, name, tags);
        try {
            String id = vault.create(target, name, SyncRecord.value(sync), signed);
            current = next.at(new DestinationSecret(id, name, LifecycleState.CREATING, signed, null));
            return true;
        } catch (VaultException e) {
            if (e.kind() != VaultException.Kind.NAME_EXISTS) {
                throw e;
            }
            taken.add(name); // another container's state secret, or anyone's secret: look at who holds it
            SyncRecord.find(sync, vault.findByName(target, name))
                    .ifPresent(s -> seen(SyncRecord.of(verified(s)), sameIntent));
            return false;
        }
    }

    /** The record as just read; {@link Superseded} when a later manual operation was recorded since. */
    private SyncRecord seen(SyncRecord fresh, boolean sameIntent) {
        if (sameIntent && !fresh.sameIntent(current)) {
            throw new Superseded();
        }
        current = fresh;
        return fresh;
    }

    /** {@code s}, a live state secret of this sync, when its claim verifies; else {@link Unverified}. */
    private DestinationSecret verified(DestinationSecret s) {
        if (!claims.verifiesState(s)) {
            throw new Unverified(s);
        }
        return s;
    }

    /** Waits by the back-off for a transitional state to end, or gives up with 409 when waiting is not allowed. */
    private void waitOut(LifecycleState state, int n, int mayWait) {
        if (n >= mayWait || !clock.instant().plus(backoff.delay(n)).isBefore(deadline)) {
            throw new VaultException(VaultException.Kind.INCORRECT_STATE, 409, "IncorrectState", "this sync's state "
                    + "secret " + current.name() + " stayed " + state, null);
        }
        try {
            sleeper.sleep(backoff.delay(n));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException(VaultException.Kind.TRANSIENT, 0, "Interrupted", "interrupted while waiting for "
                    + "this sync's state secret to leave " + state, null);
        }
    }
}
