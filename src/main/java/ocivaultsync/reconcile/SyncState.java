package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sync's state secret: one small secret per sync, so a stateless function finds the sync's state where every pass
 * already looks, in the listing. Its tags say whose state it is ({@link OwnershipTags#STATE}), whether the initial run
 * still has decisions outstanding ({@link OwnershipTags#INITIAL}), and which explicit operation the user asked for last
 * and when ({@link OwnershipTags#OP}, {@link OwnershipTags#OP_AT}), so a retry of an older operation of another kind
 * knows it is stale. Its value holds nothing secret. See README, "How a sync decides".
 */
public final class SyncState {

    public static final String PENDING = "pending";
    public static final String DONE = "done";

    private SyncState() {
    }

    /** The state secret's name: fixed per sync, so two containers never create two. */
    public static String nameFor(String sync) {
        return "ovs-state-" + sync;
    }

    public static Map<String, String> tags(String sync, boolean pending) {
        return tags(sync, pending, Optional.empty(), Optional.empty());
    }

    /**
     * The tags: whether the initial run is pending and, while it is, when it began (when known), and the latest
     * explicit operation the state secret records, if any.
     */
    public static Map<String, String> tags(String sync, boolean pending, Optional<Instant> initialSince,
            Optional<LastOperation> last) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(OwnershipTags.STATE, sync);
        out.put(OwnershipTags.INITIAL, pending ? PENDING : DONE);
        initialSince.filter(t -> pending)
                .ifPresent(t -> out.put(OwnershipTags.INITIAL_SINCE, Long.toString(t.toEpochMilli())));
        last.ifPresent(l -> {
            out.put(OwnershipTags.OP, l.operation().wire());
            out.put(OwnershipTags.OP_AT, Long.toString(l.startedAt().toEpochMilli()));
        });
        return Map.copyOf(out);
    }

    /**
     * The latest explicit (manual) operation on a sync, and when its run started. No record means a sync: that is
     * what a sync does when nobody asked for anything else.
     */
    public record LastOperation(Operation operation, Instant startedAt) {
    }

    /** What a state secret records as the latest explicit operation; empty when it records none it can read. */
    public static Optional<LastOperation> lastOperation(DestinationSecret state) {
        if (state == null) {
            return Optional.empty();
        }
        Optional<Operation> op = Operation.ofWire(state.freeformTags().get(OwnershipTags.OP));
        try {
            long at = Long.parseLong(state.freeformTags().getOrDefault(OwnershipTags.OP_AT, ""));
            return op.map(o -> new LastOperation(o, Instant.ofEpochMilli(at)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether two operations can undo each other: a remove and anything else. A sync and an import never do (an
     * import writes into the source and adopts, it deletes nothing), so they are one kind.
     */
    public static boolean sameKind(Operation a, Operation b) {
        return (a == Operation.REMOVE) == (b == Operation.REMOVE);
    }

    /** The kind of operation the record names; none recorded reads as a sync. */
    public static Operation recordedKind(Optional<LastOperation> last) {
        return last.map(LastOperation::operation).orElse(Operation.SYNC);
    }

    /**
     * The newest explicit operation wins: a pass of {@code op} whose chain started ({@code since}) before the
     * recorded operation, of another kind, is stale, since a retry of a sync would bring back what a later remove
     * deleted, and a retry of a remove would delete what a later sync restored (so would the pass of a "sync all"
     * that reaches this sync after a remove was asked for). Answers the operation that supersedes it. A chain whose
     * start is unknown (an old message), or a record that cannot be read, never is.
     */
    public static Optional<Operation> supersededBy(Optional<LastOperation> last, Operation op, Instant since) {
        if (since == null || last.isEmpty() || sameKind(last.get().operation(), op)
                || !since.isBefore(last.get().startedAt())) {
            return Optional.empty();
        }
        return Optional.of(last.get().operation());
    }

    /**
     * The record an operation started at {@code since} writes over {@code last}: never earlier than what it replaces
     * (a millisecond later at least), so the record only moves forward, whatever two containers' clocks say.
     */
    public static LastOperation next(Optional<LastOperation> last, Operation op, Instant since) {
        Instant at = last.map(l -> l.startedAt().plusMillis(1)).filter(t -> t.isAfter(since)).orElse(since);
        return new LastOperation(op, at);
    }

    /** The newer of two records (the first when they are as new). */
    public static Optional<LastOperation> newer(Optional<LastOperation> a, Optional<LastOperation> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().startedAt().isAfter(a.get().startedAt()) ? b : a;
    }

    /** OCI stores no empty secret: the value says what the secret is for, nothing more. */
    public static SecretValue value(String sync) {
        return SecretValue.of(("state of oci-vault-sync sync " + sync).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sync's state secret in a listing, in any state but DELETED (one scheduled for deletion, as a remove of an
     * older release did, is still the record: the next write cancels its deletion), an ACTIVE one first.
     */
    public static Optional<DestinationSecret> find(String sync, List<DestinationSecret> listing) {
        return listing.stream().filter(s -> s.isStateOf(sync) && s.state() != LifecycleState.DELETED)
                .min(java.util.Comparator.comparing(s -> s.state() != LifecycleState.ACTIVE));
    }

    /**
     * A secret that holds the state secret's name without being this sync's state secret (a user's own secret of
     * that name, say): never adopted nor overwritten; the sync's initial run fails until it is renamed or deleted.
     */
    public static Optional<DestinationSecret> squatter(String sync, List<DestinationSecret> listing) {
        String name = nameFor(sync);
        return listing.stream().filter(s -> name.equals(s.name()) && !s.isStateOf(sync)
                && s.state() != LifecycleState.DELETED).findFirst();
    }

    /**
     * Whether the listing says the sync's initial run still has decisions outstanding. Only {@code pending} and
     * {@code done} are values; anything else (an edit by hand) is read as not pending.
     */
    public static boolean initialPending(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(s -> PENDING.equals(s.freeformTags().get(OwnershipTags.INITIAL)))
                .orElse(false);
    }

    /**
     * While the initial run is pending, when it began: its later passes decide only about untagged secrets created
     * before that, so a pending marker does not widen the initial window to secrets a user made meanwhile. Empty when
     * not pending, or when the marker does not say (a marker of an older release: every untagged secret counts).
     */
    public static Optional<Instant> initialSince(String sync, List<DestinationSecret> listing) {
        if (!initialPending(sync, listing)) {
            return Optional.empty();
        }
        String v = find(sync, listing).map(s -> s.freeformTags().get(OwnershipTags.INITIAL_SINCE)).orElse(null);
        try {
            return v == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(v)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an untagged secret is within the initial run's reach: it is, unless the initial run began (see
     * {@link #initialSince}) before OCI created it, or it is not known when OCI did (OCI always says).
     */
    public static boolean withinInitialWindow(DestinationSecret s, Optional<Instant> initialSince) {
        return initialSince.isEmpty() || s.timeCreated() != null && s.timeCreated().isBefore(initialSince.get());
    }

    /** The marker's value when it is neither {@code pending} nor {@code done} (to warn about), else empty. */
    public static Optional<String> unknownValue(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(s -> s.freeformTags().get(OwnershipTags.INITIAL))
                .filter(v -> !PENDING.equals(v) && !DONE.equals(v));
    }
}
