package ocivaultsync.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The reconcile rules of docs/ARCHITECTURE.md, 'Reconcile rules': desired secrets × destination secrets × policy → a
 * {@link Plan} with one entry per
 * name. Pure: no I/O, no clock, no values.
 *
 * <p>Planning takes two steps when values must be compared: {@link #bundlesToRead} names the secrets whose current
 * bundle the shell must read (a fast steady-state pass names none), then {@link #plan} decides with the fingerprints
 * of what was read. Both run the same decision code, so they cannot disagree about which reads matter.
 */
public final class Planner {

    /** The planner's input: the policy, the source's entries and the vault's listing (every page, every state). */
    public record Input(SyncPolicy policy, List<SourceEntry> source, List<DestinationSecret> destination) {
        public Input {
            source = List.copyOf(source);
            destination = List.copyOf(destination);
        }
    }


    private Planner() {
    }

    /** The ids of the secrets whose current bundle {@link #plan} needs; empty on a fast steady-state pass. */
    public static Set<String> bundlesToRead(Input input) {
        return bundlesToRead(input, Operation.SYNC);
    }

    public static Set<String> bundlesToRead(Input input, Operation op) {
        Run run = new Run(input, Map.of(), true, null, op);
        run.decideAll();
        return Set.copyOf(run.requested);
    }

    /** A plan for an import or a removal (no guard: both are explicit requests). */
    public static Plan plan(Input input, Operation op, Map<String, BundleObservation> observed) {
        if (op == Operation.SYNC) {
            return plan(input, observed);
        }
        Run run = new Run(input, observed, false, null, op);
        return new Plan(input.policy().sync(), run.initial, input.policy().deletionDelayDays(), run.decideAll());
    }

    /**
     * The plan. {@code observed} maps secret ids to what reading their bundle showed; a read that {@link
     * #bundlesToRead} asked for and that is missing here counts as unreadable.
     */
    public static Plan plan(Input input, Map<String, BundleObservation> observed) {
        Run run = new Run(input, observed, false, null, Operation.SYNC);
        List<PlannedChange> changes = run.guard(run.decideAll());
        return new Plan(input.policy().sync(), run.initial, input.policy().deletionDelayDays(), changes);
    }

    /**
     * The bundle reads {@link #planName} needs. Used when the executor re-plans a single name after the vault changed
     * under it (a create that met "name already exists"); {@code initial} is the original plan's, since a listing of
     * one name cannot tell.
     */
    public static Set<String> bundlesToReadForName(Input input, boolean initial, String name) {
        Run run = new Run(input, Map.of(), true, initial, Operation.SYNC);
        run.decide(name);
        return Set.copyOf(run.requested);
    }

    /** The decision for one name, with the guard left out (a re-planned name is always desired). */
    public static PlannedChange planName(Input input, boolean initial, String name,
            Map<String, BundleObservation> observed) {
        return new Run(input, observed, false, initial, Operation.SYNC).decide(name);
    }

    /**
     * Whether this is the sync's initial run: no secret in the vault carries its tag, or its state secret says an
     * earlier initial run left decisions outstanding (see {@link SyncState}).
     */
    public static boolean isInitial(SyncPolicy policy, List<DestinationSecret> destination) {
        return SyncState.initialPending(policy.sync(), destination)
                || destination.stream().noneMatch(s -> s.isOwnedBy(policy.sync()));
    }

    /**
     * Whether an initial run left any of its own decisions outstanding: an adoption, import or deletion of an
     * untagged secret that is not done (deferred, failed, blocked, or only planned). Creates do not count: any later
     * pass makes them.
     */
    public static boolean initialOutstanding(Input input, List<PlannedChange> outcome) {
        Set<String> untagged = untaggedFitting(input);
        return outcome.stream().anyMatch(c -> c.secretId() != null && untagged.contains(c.secretId())
                && c.status() != ResultStatus.DONE && c.status() != ResultStatus.SKIPPED);
    }

    /**
     * The ids of the untagged secrets whose names fit the sync: what an initial run may adopt, import or delete, and
     * so what its state secret must record as pending before the first of those writes.
     */
    public static Set<String> untaggedFitting(Input input) {
        SyncPolicy p = input.policy();
        Set<String> untagged = new java.util.HashSet<>();
        for (DestinationSecret s : input.destination()) {
            if (s.ownerSync().isEmpty() && !s.isStateSecret() && !p.protectedSecretIds().contains(s.id())
                    && p.keyFor(s.name()).isPresent()) {
                untagged.add(s.id());
            }
        }
        return untagged;
    }

    private enum Relation { OWNED, ADOPTABLE, FOREIGN }

    /** One planning pass over an input. */
    private static final class Run {
        private final SyncPolicy p;
        private final Input in;
        private final Map<String, BundleObservation> observed;
        private final boolean recordOnly;
        private final boolean initial;
        private final Operation op;
        private final Set<String> requested = new LinkedHashSet<>();
        private final Map<String, List<SourceEntry>> desired = new TreeMap<>();
        private final Map<String, List<DestinationSecret>> secrets = new TreeMap<>();

        Run(Input in, Map<String, BundleObservation> observed, boolean recordOnly, Boolean initialOverride,
                Operation op) {
            this.in = in;
            this.op = op;
            this.p = in.policy();
            this.observed = observed;
            this.recordOnly = recordOnly;
            Map<String, DestinationSecret> byId = new LinkedHashMap<>();
            for (DestinationSecret s : in.destination()) {
                byId.putIfAbsent(s.id(), s); // a listing that shifted between pages can repeat an item
            }
            this.initial = initialOverride != null ? initialOverride : isInitial(p, List.copyOf(byId.values()));
            for (DestinationSecret s : byId.values()) {
                if (s.isStateSecret()) {
                    continue; // never a managed secret, whoever's state it holds
                }
                secrets.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
            }
            for (SourceEntry e : in.source()) {
                desired.computeIfAbsent(p.nameFor(e.key()), n -> new ArrayList<>()).add(e);
            }
        }

        List<PlannedChange> decideAll() {
            if (op != Operation.SYNC) {
                return decideExplicit();
            }
            Set<String> names = new TreeSet<>(desired.keySet());
            secrets.forEach((name, list) -> {
                DestinationSecret holder = holder(list);
                if (holder != null && relation(holder) != Relation.FOREIGN) {
                    names.add(name);
                }
            });
            List<PlannedChange> out = new ArrayList<>(names.size());
            for (String name : names) {
                List<SourceEntry> ds = desired.getOrDefault(name, List.of());
                PlannedChange decided = decide(name);
                if (ds.size() > 1 && decided.reason() == Reason.NAME_COLLISION) {
                    for (SourceEntry e : ds) { // each key learns its own failure
                        out.add(new PlannedChange(e.key(), name, decided.action(), decided.status(), decided.reason(),
                                decided.detail(), decided.secretId(), false, Map.of(), false, e.sourceVersion()));
                    }
                } else {
                    out.add(decided);
                }
            }
            return out;
        }

        /**
         * The secret that decides a name: the live one when there is one (a DELETED secret of this sync must not let
         * a live secret of someone else under the same name be treated as this sync's), else a deleted one.
         */
        private static DestinationSecret holder(List<DestinationSecret> candidates) {
            return candidates.stream().filter(s -> s.state() != LifecycleState.DELETED).findFirst()
                    .orElse(candidates.isEmpty() ? null : candidates.get(0));
        }

        PlannedChange decide(String name) {
            List<SourceEntry> ds = desired.getOrDefault(name, List.of());
            List<DestinationSecret> candidates = secrets.getOrDefault(name, List.of());
            List<DestinationSecret> present = candidates.stream()
                    .filter(s -> s.state() != LifecycleState.DELETED).toList();
            String key = ds.isEmpty() ? null : ds.get(0).key();
            if (present.size() > 1) {
                String ids = present.stream().map(DestinationSecret::id).collect(Collectors.joining(", "));
                return failed(key, name, ds.isEmpty() ? Action.DELETE : Action.UPDATE, null, Reason.NAME_AMBIGUOUS,
                        ids);
            }
            DestinationSecret s = present.isEmpty() ? (candidates.isEmpty() ? null : candidates.get(0))
                    : present.get(0);
            Relation rel = s == null ? null : relation(s);
            Action write = s == null ? Action.CREATE : Action.UPDATE;
            String id = s == null ? null : s.id();

            if (ds.size() > 1) {
                String origins = ds.stream().map(e -> e.key() + " from " + e.origin()).sorted()
                        .collect(Collectors.joining(", "));
                return failed(key, name, write, id, Reason.NAME_COLLISION, origins);
            }
            if (ds.isEmpty()) {
                if (s == null || rel == Relation.FOREIGN) { // never plan anything on a secret this sync does not own
                    return change(null, name, Action.NONE, ResultStatus.SKIPPED, Reason.NAME_HELD, null, id, null);
                }
                return decideNotDesired(name, s, rel, keyOf(s), false);
            }
            SourceEntry d = ds.get(0);
            Optional<String> nameProblem = VaultLimits.nameProblem(name);
            if (nameProblem.isPresent()) {
                return failed(key, name, write, id, Reason.INVALID_NAME, nameProblem.get());
            }
            if (d.isEmpty()) {
                if (rel == Relation.OWNED || rel == Relation.ADOPTABLE) {
                    return decideNotDesired(name, s, rel, d.key(), true);
                }
                return change(d.key(), name, write, ResultStatus.SKIPPED, Reason.EMPTY_IN_SOURCE, null, id, d);
            }
            if (d.sizeBytes() > VaultLimits.MAX_CONTENT_BYTES) {
                return failed(key, name, write, id, Reason.TOO_LARGE,
                        d.sizeBytes() + " bytes; OCI Vault stores at most " + VaultLimits.MAX_CONTENT_BYTES);
            }
            if (s == null) {
                return write(d, name, Action.CREATE, null, Map.of(), true, Reason.MISSING_IN_DESTINATION, null);
            }
            if (rel == Relation.FOREIGN) {
                String holder = p.protectedSecretIds().contains(s.id())
                        ? "it holds configuration or credentials of this product"
                        : s.ownerSync().map(o -> "it belongs to sync " + o)
                                .orElse("it carries no " + OwnershipTags.SYNC + " tag");
                return failed(key, name, Action.UPDATE, id, Reason.NAME_HELD, holder);
            }
            return decideDesired(d, s, rel);
        }

        /** A name the source has a value for, held by a secret this sync owns or adopts. */
        private PlannedChange decideDesired(SourceEntry d, DestinationSecret s, Relation rel) {
            String name = s.name();
            Fingerprint want = d.fingerprint();
            Optional<Fingerprint> tag = s.fingerprint().filter(f -> f.keyId().equals(p.fingerprintKeyId()));
            switch (s.state()) {
                case ACTIVE:
                    return rel == Relation.ADOPTABLE ? adopt(d, s) : compareOwned(d, s, tag);
                case PENDING_DELETION: {
                    // A deep pass trusts no tag: the value behind it may have been edited before the deletion.
                    boolean completes = rel == Relation.OWNED && tag.isPresent() && tag.get().equals(want)
                            && !deep(s);
                    return new PlannedChange(d.key(), name, Action.RESTORE, ResultStatus.PLANNED,
                            Reason.RESTORE_PENDING_DELETION, completes ? "the value is unchanged"
                                    : "the value is written on a later pass, once the secret is ACTIVE",
                            s.id(), false, Map.of(), completes, d.sourceVersion());
                }
                case SCHEDULING_DELETION:
                case DELETING:
                    return change(d.key(), name, Action.RESTORE, ResultStatus.DEFERRED, Reason.IN_TRANSITION,
                            s.state().name(), s.id(), d);
                case CREATING:
                case UPDATING:
                case CANCELLING_DELETION:
                    return change(d.key(), name, Action.UPDATE, ResultStatus.DEFERRED, Reason.IN_TRANSITION,
                            s.state().name(), s.id(), d);
                default: // FAILED, DELETED, UNKNOWN
                    return failed(d.key(), name, Action.UPDATE, s.id(), Reason.UNUSABLE_STATE, s.state().name());
            }
        }

        private PlannedChange compareOwned(SourceEntry d, DestinationSecret s, Optional<Fingerprint> tag) {
            Fingerprint want = d.fingerprint();
            if (tag.isPresent() && !tag.get().equals(want)) {
                return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), true, Reason.VALUE_CHANGED, null);
            }
            if (tag.isPresent() && !deep(s)) {
                return change(d.key(), s.name(), Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE, null, s.id(), d);
            }
            BundleObservation seen = observe(s);
            if (tag.isPresent()) { // deep check of a secret whose tag matches
                if (seen instanceof BundleObservation.Read r) {
                    return r.fingerprint().equals(want)
                            ? change(d.key(), s.name(), Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE,
                                    "value checked", s.id(), d)
                            : write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), true, Reason.DRIFT, null);
                }
                return failed(d.key(), s.name(), Action.UPDATE, s.id(), Reason.UNREADABLE, unreadable(seen));
            }
            // No fingerprint under the current key (key rotated, tag edited): compare values to avoid a new version.
            if (seen instanceof BundleObservation.Read r && r.fingerprint().equals(want)) {
                return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), false, Reason.FINGERPRINT_REKEYED,
                        null);
            }
            String detail = seen instanceof BundleObservation.Read ? null
                    : "no comparable fingerprint and " + unreadable(seen) + "; the source value is written";
            return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), true, Reason.VALUE_CHANGED, detail);
        }

        /** The initial run meets an ACTIVE secret that fits the schema and carries no owner tag. */
        private PlannedChange adopt(SourceEntry d, DestinationSecret s) {
            BundleObservation seen = observe(s);
            InitialSyncBehavior behavior = p.initialSyncBehavior();
            if (seen instanceof BundleObservation.Read r) {
                if (r.fingerprint().equals(d.fingerprint())) {
                    return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), false, Reason.ADOPTED,
                            "the value already matches");
                }
                if (behavior == InitialSyncBehavior.IMPORT_PRIORITIZE_DESTINATION) {
                    return importChange(d.key(), s, r.fingerprint(), Reason.IMPORT_DESTINATION_WINS);
                }
                return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), true, Reason.ADOPTED,
                        "the source value replaces the destination's");
            }
            if (behavior == InitialSyncBehavior.IMPORT_PRIORITIZE_DESTINATION) {
                return failed(d.key(), s.name(), Action.IMPORT, s.id(), Reason.UNREADABLE, unreadable(seen));
            }
            return write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), true, Reason.ADOPTED,
                    "the source value replaces the destination's");
        }

        /** A name this sync owns or adopts, for which the source has no (non-empty) value. */
        private PlannedChange decideNotDesired(String name, DestinationSecret s, Relation rel, String key,
                boolean emptyInSource) {
            Reason gone = emptyInSource ? Reason.EMPTY_IN_SOURCE : Reason.NOT_IN_SOURCE;
            switch (s.state()) {
                case ACTIVE: {
                    if (rel == Relation.ADOPTABLE && p.initialSyncBehavior().imports()) {
                        // The source lacks the key (or holds it empty): take the destination's value, never delete.
                        BundleObservation seen = observe(s);
                        if (seen instanceof BundleObservation.Read r) {
                            return importChange(key, s, r.fingerprint(), Reason.IMPORT_MISSING_IN_SOURCE);
                        }
                        return failed(key, name, Action.IMPORT, s.id(), Reason.UNREADABLE, unreadable(seen));
                    }
                    if (p.disableSecretDeletion()) {
                        return change(key, name, Action.NONE, ResultStatus.DONE, Reason.DELETION_DISABLED, null,
                                s.id(), null);
                    }
                    return new PlannedChange(key, name, Action.DELETE, ResultStatus.PLANNED, gone,
                            "scheduled for deletion in " + p.deletionDelayDays() + " days", s.id(), false, Map.of(),
                            false, null);
                }
                case CREATING:
                case UPDATING:
                case SCHEDULING_DELETION:
                case CANCELLING_DELETION:
                case DELETING:
                    if (p.disableSecretDeletion()) {
                        return change(key, name, Action.NONE, ResultStatus.DONE, Reason.DELETION_DISABLED, null,
                                s.id(), null);
                    }
                    return change(key, name, Action.DELETE, ResultStatus.DEFERRED, Reason.IN_TRANSITION,
                            s.state().name(), s.id(), null);
                case PENDING_DELETION:
                    return change(key, name, Action.NONE, ResultStatus.DONE, Reason.ALREADY_DELETING,
                            "PENDING_DELETION", s.id(), null);
                default: // FAILED, DELETED, UNKNOWN
                    return change(key, name, Action.NONE, ResultStatus.DONE, Reason.UNUSABLE_STATE,
                            s.state().name(), s.id(), null);
            }
        }

        /**
         * Import and remove look only at secrets this sync owns, plus, for an import, untagged ones whose names fit the
         * key schema (an import is how a user brings them under the sync at any time).
         */
        private List<PlannedChange> decideExplicit() {
            List<PlannedChange> out = new ArrayList<>();
            for (Map.Entry<String, List<DestinationSecret>> e : secrets.entrySet()) {
                List<DestinationSecret> live = e.getValue().stream()
                        .filter(s -> s.state() != LifecycleState.DELETED).toList();
                if (live.size() != 1) {
                    continue; // deleted, or ambiguous: nothing to import or remove
                }
                DestinationSecret s = live.get(0);
                boolean owned = s.isOwnedBy(p.sync()) && !p.protectedSecretIds().contains(s.id());
                // Untagged secrets are adopted only as the initial rules allow: once the initial run is done they
                // belong to someone else, an import included.
                boolean untagged = initial && s.ownerSync().isEmpty() && !p.protectedSecretIds().contains(s.id())
                        && p.keyFor(s.name()).isPresent();
                if (op == Operation.REMOVE && owned) {
                    out.add(removal(s));
                } else if (op != Operation.REMOVE && (owned || untagged)) {
                    out.add(importDecision(s, owned));
                }
            }
            // A remove leaves the state secret: it records the remove, so an older retry cannot bring the secrets back.
            return out;
        }

        private PlannedChange removal(DestinationSecret s) {
            String key = keyOf(s);
            return switch (s.state()) {
                case ACTIVE -> new PlannedChange(key, s.name(), Action.DELETE, ResultStatus.PLANNED,
                        Reason.REMOVE_REQUESTED, "scheduled for deletion in " + p.deletionDelayDays() + " days",
                        s.id(), false, Map.of(), false, null);
                case PENDING_DELETION -> change(key, s.name(), Action.NONE, ResultStatus.DONE,
                        Reason.ALREADY_DELETING, "PENDING_DELETION", s.id(), null);
                case CREATING, UPDATING, SCHEDULING_DELETION, CANCELLING_DELETION, DELETING -> change(key, s.name(),
                        Action.DELETE, ResultStatus.DEFERRED, Reason.IN_TRANSITION, s.state().name(), s.id(), null);
                default -> change(key, s.name(), Action.NONE, ResultStatus.DONE, Reason.UNUSABLE_STATE,
                        s.state().name(), s.id(), null);
            };
        }

        private PlannedChange importDecision(DestinationSecret s, boolean owned) {
            String key = keyOf(s);
            if (key == null) {
                return failed(null, s.name(), Action.IMPORT, s.id(), Reason.NO_KEY, null);
            }
            if (s.state() != LifecycleState.ACTIVE) {
                return change(key, s.name(), Action.NONE, ResultStatus.DONE, s.state().isTransitional()
                        ? Reason.IN_TRANSITION : Reason.UNUSABLE_STATE, s.state().name(), s.id(), null);
            }
            List<SourceEntry> ds = desired.getOrDefault(p.nameFor(key), List.of()).stream()
                    .filter(e -> e.key().equals(key)).toList();
            if (ds.size() > 1) {
                return failed(key, s.name(), Action.IMPORT, s.id(), Reason.NAME_COLLISION,
                        ds.stream().map(e -> e.key() + " from " + e.origin()).sorted()
                                .collect(Collectors.joining(", ")));
            }
            SourceEntry d = ds.isEmpty() ? null : ds.get(0);
            if (d == null || d.isEmpty()) {
                BundleObservation seen = observe(s);
                return seen instanceof BundleObservation.Read r
                        ? importChange(key, s, r.fingerprint(), Reason.IMPORT_MISSING_IN_SOURCE)
                        : failed(key, s.name(), Action.IMPORT, s.id(), Reason.UNREADABLE, unreadable(seen));
            }
            if (op == Operation.IMPORT_PRIORITIZE_SOURCE) {
                return change(key, s.name(), Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE,
                        "the source has this key and wins", s.id(), d);
            }
            // The tag only says what this sync last wrote; the vault's current value may differ (an edit in the
            // console is exactly what an import should take), so the bundle is always read here.
            BundleObservation seen = observe(s);
            if (!(seen instanceof BundleObservation.Read r)) {
                return failed(key, s.name(), Action.IMPORT, s.id(), Reason.UNREADABLE, unreadable(seen));
            }
            if (!r.fingerprint().equals(d.fingerprint())) {
                return importChange(key, s, r.fingerprint(), Reason.IMPORT_DESTINATION_WINS);
            }
            return owned ? change(key, s.name(), Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE, null, s.id(), d)
                    : write(d, s.name(), Action.UPDATE, s.id(), s.freeformTags(), false, Reason.ADOPTED,
                            "the value already matches");
        }

        /** Withholds every planned deletion when the guard trips (F14), unless forced. */
        List<PlannedChange> guard(List<PlannedChange> changes) {
            long deletions = changes.stream()
                    .filter(c -> c.action() == Action.DELETE && c.status() == ResultStatus.PLANNED).count();
            if (deletions == 0 || p.force()) {
                return changes;
            }
            long managed = secrets.values().stream().flatMap(List::stream)
                    .filter(s -> relation(s) != Relation.FOREIGN && s.state().isLive()).count();
            long withValues = in.source().stream().filter(e -> !e.isEmpty()).count();
            Reason reason;
            String detail;
            if (withValues == 0) {
                reason = Reason.GUARD_EMPTY_SOURCE;
                detail = deletions + " deletion(s) withheld";
            } else if (p.guard().trips((int) deletions, (int) managed)) {
                reason = Reason.GUARD_TOO_MANY;
                detail = deletions + " of " + managed + " managed secrets, more than " + p.guard().maxPercent()
                        + "% and more than " + p.guard().minCount();
            } else {
                return changes;
            }
            List<PlannedChange> out = new ArrayList<>(changes.size());
            for (PlannedChange c : changes) {
                boolean blocked = c.action() == Action.DELETE && c.status() == ResultStatus.PLANNED;
                out.add(blocked ? c.with(ResultStatus.BLOCKED, reason, detail) : c);
            }
            return out;
        }

        private Relation relation(DestinationSecret s) {
            if (p.protectedSecretIds().contains(s.id())) {
                return Relation.FOREIGN;
            }
            if (s.isOwnedBy(p.sync())) {
                return Relation.OWNED;
            }
            if (initial && s.ownerSync().isEmpty() && p.keyFor(s.name()).isPresent()) {
                return Relation.ADOPTABLE;
            }
            return Relation.FOREIGN;
        }

        private boolean deep(DestinationSecret s) {
            return p.verify() == Verify.DEEP || p.deepSecretIds().contains(s.id());
        }

        private BundleObservation observe(DestinationSecret s) {
            if (recordOnly) {
                requested.add(s.id());
                return new BundleObservation.Unreadable("not read");
            }
            BundleObservation seen = observed.get(s.id());
            return seen != null ? seen : new BundleObservation.Unreadable("not read");
        }

        private String keyOf(DestinationSecret s) {
            if (s == null || s.isStateSecret()) {
                return null;
            }
            return s.keyTag().or(() -> p.keyFor(s.name())).orElse(null);
        }

        private PlannedChange importChange(String key, DestinationSecret s, Fingerprint destinationValue,
                Reason reason) {
            return new PlannedChange(key, s.name(), Action.IMPORT, ResultStatus.PLANNED, reason, null, s.id(), false,
                    OwnershipTags.merged(s.freeformTags(), p.sync(), key, destinationValue), false, null);
        }

        private PlannedChange write(SourceEntry d, String name, Action action, String id, Map<String, String> existing,
                boolean content, Reason reason, String detail) {
            return new PlannedChange(d.key(), name, action, ResultStatus.PLANNED, reason, detail, id, content,
                    OwnershipTags.merged(existing, p.sync(), d.key(), d.fingerprint()), false, d.sourceVersion());
        }

        private static PlannedChange change(String key, String name, Action action, ResultStatus status,
                Reason reason, String detail, String id, SourceEntry d) {
            return new PlannedChange(key, name, action, status, reason, detail, id, false, Map.of(), false,
                    d == null ? null : d.sourceVersion());
        }

        private static PlannedChange failed(String key, String name, Action action, String id, Reason reason,
                String detail) {
            return new PlannedChange(key, name, action, ResultStatus.FAILED, reason, detail, id, false, Map.of(),
                    false, null);
        }

        private static String unreadable(BundleObservation seen) {
            return seen instanceof BundleObservation.Unreadable u ? u.reason() : "not read";
        }
    }
}
