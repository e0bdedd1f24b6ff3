package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sync's state secret as a pass reads it: the user's intent (the mode, recorded by every manual operation with a
 * generation that orders them as OCI accepted the writes), whether that operation's work is still open (and whether
 * it approved the deletions the guard withholds), and whether the initial run is pending (docs/ARCHITECTURE.md,
 * "State kept in OCI"). A sync without one reads as {@link #absent}: active, nothing asked, nothing pending.
 *
 * @param secretId       the state secret's OCID; null when the sync has none
 * @param name           its name; null when none
 * @param state          its lifecycle state (ACTIVE, or CREATING/UPDATING/CANCELLING_DELETION for a moment)
 * @param mode           what every pass reconciles toward; empty when the tag cannot be read (then nothing is
 *                       planned until a manual operation records a mode again)
 * @param generation     how many manual operations this state secret has recorded: two reads with the same
 *                       secret and generation saw the same intent
 * @param operation      the last manual operation, for reports
 * @param open           that operation left work for its retries: they run even when auto-sync is off
 * @param force          that operation approved the deletions the guard withholds; holds only while open
 * @param deep           that operation asked for a deep pass; its retries are deep too while it is open
 * @param initialPending the sync's initial run has decisions outstanding
 * @param initialSince   while pending: untagged secrets OCI created at or after this time are not the initial run's
 * @param tags           every tag of the state secret, others' included (they are written back unchanged)
 */
public record SyncRecord(String secretId, String name, LifecycleState state, Optional<Mode> mode, long generation,
        Optional<Operation> operation, boolean open, boolean force, boolean deep, boolean initialPending,
        Optional<Instant> initialSince, Map<String, String> tags) {

    static final String PENDING = "pending";
    static final String DONE = "done";
    static final String NAME_PREFIX = "ovs-state-";

    public SyncRecord {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** The record of a sync that has no state secret. */
    public static SyncRecord absent() {
        return new SyncRecord(null, null, null, Optional.of(Mode.ACTIVE), 0, Optional.empty(), false, false, false,
                false, Optional.empty(), Map.of());
    }

    public boolean exists() {
        return secretId != null;
    }

    /**
     * Whether {@code other} reads the same intent: the same state secret at the same generation, or no manual
     * operation recorded on either.
     */
    public boolean sameIntent(SyncRecord other) {
        return generation == other.generation
                && (generation == 0 || java.util.Objects.equals(secretId, other.secretId));
    }

    /** The force the record grants to the open operation's retries and hand-offs. */
    public boolean forced() {
        return open && force;
    }

    /** Whether the open operation's retries and hand-offs check values deeply, as it asked. */
    public boolean deepened() {
        return open && deep;
    }

    /**
     * The sync's state secret in a listing: one tagged as this sync's that is not on its way out (a state secret the
     * user scheduled for deletion is absent: its deletion is never cancelled), the one with the newest generation when
     * there are several.
     */
    public static Optional<DestinationSecret> find(String sync, List<DestinationSecret> listing) {
        return listing.stream().filter(s -> s.isStateOf(sync) && isLive(s.state()))
                .max(Comparator.comparingLong((DestinationSecret s) -> generationOf(s.freeformTags()))
                        .thenComparing(DestinationSecret::name, Comparator.reverseOrder()));
    }

    /** The record {@link #find} finds, or {@link #absent}. */
    public static SyncRecord in(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(SyncRecord::of).orElseGet(SyncRecord::absent);
    }

    /** A state secret read by a listing or a GetSecret. */
    public static SyncRecord of(DestinationSecret s) {
        Map<String, String> t = s.freeformTags();
        Optional<Instant> since = Optional.empty();
        boolean pending = PENDING.equals(t.get(OwnershipTags.INITIAL));
        if (pending) {
            since = parseLong(t.get(OwnershipTags.INITIAL_SINCE)).map(Instant::ofEpochMilli);
        }
        return new SyncRecord(s.id(), s.name(), s.state(), Mode.ofWire(t.getOrDefault(OwnershipTags.MODE,
                Mode.ACTIVE.wire())), generationOf(t), Operation.ofWire(t.get(OwnershipTags.OP)),
                "true".equals(t.get(OwnershipTags.OPEN)), "true".equals(t.get(OwnershipTags.FORCE)),
                "deep".equals(t.get(OwnershipTags.VERIFY)), pending, since, t);
    }

    /** Whether a state secret in this state holds the sync's state: not when it is on its way out. */
    public static boolean isLive(LifecycleState s) {
        return s == LifecycleState.ACTIVE || s == LifecycleState.CREATING || s == LifecycleState.UPDATING
                || s == LifecycleState.CANCELLING_DELETION;
    }

    private static long generationOf(Map<String, String> tags) {
        return parseLong(tags.get(OwnershipTags.GEN)).orElse(0L);
    }

    private static Optional<Long> parseLong(String v) {
        try {
            return v == null ? Optional.empty() : Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A manual operation recorded on top of this record: the next generation and its mode. Whatever the operation
     * before it left open is closed: its retries no longer carry its force.
     */
    public SyncRecord recording(Operation op) {
        return new SyncRecord(secretId, name, state, Optional.of(Mode.of(op)), generation + 1, Optional.of(op), false,
                false, false, initialPending, initialSince, tags);
    }

    /**
     * The recorded operation left work for its retries (or hands its pass to an invocation of its own): its work is
     * open, and its retries carry its force and its deep check until a pass finishes that work.
     */
    public SyncRecord opened(boolean forced, boolean deepPass) {
        return new SyncRecord(secretId, name, state, mode, generation, operation, true, forced, deepPass,
                initialPending, initialSince, tags);
    }

    /** The recorded operation's work is done: its retries stop, its force no longer holds. */
    public SyncRecord closed() {
        return new SyncRecord(secretId, name, state, mode, generation, operation, false, false, false,
                initialPending, initialSince, tags);
    }

    /** Whether the initial run is pending, and since when (OCI's time: the newest {@code timeCreated} it listed). */
    public SyncRecord withInitial(boolean pending, Optional<Instant> since) {
        return new SyncRecord(secretId, name, state, mode, generation, operation, open, force, deep, pending,
                pending ? since : Optional.empty(), tags);
    }

    /** The same record as this (fresh) read of its state secret shows it. */
    public SyncRecord at(DestinationSecret fresh) {
        return new SyncRecord(fresh.id(), fresh.name(), fresh.state(), mode, generation, operation, open, force, deep,
                initialPending, initialSince, fresh.freeformTags());
    }

    /** The tags to write: the secret's other tags kept, ours set from this record. */
    public Map<String, String> tagsFor(String sync) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.keySet().removeAll(List.of(OwnershipTags.MODE, OwnershipTags.GEN, OwnershipTags.OP, OwnershipTags.OPEN,
                OwnershipTags.FORCE, OwnershipTags.VERIFY, OwnershipTags.INITIAL, OwnershipTags.INITIAL_SINCE));
        out.put(OwnershipTags.STATE, sync);
        out.put(OwnershipTags.MODE, mode.orElse(Mode.ACTIVE).wire());
        out.put(OwnershipTags.GEN, Long.toString(generation));
        operation.ifPresent(o -> out.put(OwnershipTags.OP, o.wire()));
        if (open) {
            out.put(OwnershipTags.OPEN, "true");
        }
        if (open && force) {
            out.put(OwnershipTags.FORCE, "true");
        }
        if (open && deep) {
            out.put(OwnershipTags.VERIFY, "deep");
        }
        out.put(OwnershipTags.INITIAL, initialPending ? PENDING : DONE);
        initialSince.filter(t -> initialPending)
                .ifPresent(t -> out.put(OwnershipTags.INITIAL_SINCE, Long.toString(t.toEpochMilli())));
        return Map.copyOf(out);
    }

    /** The mode's tag as written when it cannot be read (for the message that says so). */
    public String modeTag() {
        return tags.get(OwnershipTags.MODE);
    }

    /**
     * The name for a new state secret: {@code ovs-state-<sync>}, or, when a secret of any owner and state holds that
     * (a deleted one reserves its name for a while), {@code ovs-state-<sync>.2}, {@code .3}, … — a dot never appears
     * in a sync's name, so no other sync's state secret is ever in the way.
     */
    public static String nameFor(String sync, Collection<String> taken) {
        String base = NAME_PREFIX + sync;
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2;; n++) {
            if (!taken.contains(base + "." + n)) {
                return base + "." + n;
            }
        }
    }

    /** Whether a name is one this product gives state secrets: never adopted, whoever holds it. */
    public static boolean isStateName(String name) {
        return name != null && name.startsWith(NAME_PREFIX);
    }

    /** OCI stores no empty secret: the value says what the secret is for, nothing more. */
    public static SecretValue value(String sync) {
        return SecretValue.of(("state of oci-vault-sync sync " + sync).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where a new initial run's reach ends, by OCI's clock alone: just after the newest secret it listed, or when OCI
     * answered the listing if later ({@code listedAt}, from the answer's {@code Date}), so a secret created later, by
     * anyone, is never the initial run's to adopt or delete. Epoch when neither says.
     */
    public static Instant reachEnd(List<DestinationSecret> listing, Optional<Instant> listedAt) {
        Instant newest = listing.stream().map(DestinationSecret::timeCreated).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).map(t -> t.plusMillis(1)).orElse(Instant.EPOCH);
        return listedAt.filter(t -> t.isAfter(newest)).orElse(newest);
    }

    /**
     * Whether an untagged secret is within a pending initial run's reach: OCI created it before the run began (a
     * record without a start, edited by hand, reaches every one).
     */
    static boolean withinInitialReach(DestinationSecret s, Optional<Instant> initialSince) {
        return initialSince.isEmpty() || s.timeCreated() != null && s.timeCreated().isBefore(initialSince.get());
    }

    /** The operation a pass carries out: the recorded mode decides; within an active sync, an import stays one. */
    public Operation toward(Optional<Operation> asked) {
        if (mode.orElse(Mode.ACTIVE) == Mode.REMOVED) {
            return Operation.REMOVE;
        }
        return asked.filter(o -> o != Operation.REMOVE).orElse(Operation.SYNC);
    }
}
