package ocivaultsync.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import ocivaultsync.reconcile.PlanningRun.Relation;

/**
 * The reconcile rules of docs/ARCHITECTURE.md, 'Reconcile rules': desired secrets × destination secrets × policy → a
 * {@link Plan} with one entry per name. Pure: no I/O, no clock, no values.
 *
 * <p>Planning takes two steps when values must be compared: {@link #bundlesToRead} names the secrets whose current
 * bundle the shell must read (a fast steady-state pass names none), then {@link #plan} decides with the fingerprints
 * of what was read. Both run the same decision code, so they cannot disagree about which reads matter.
 *
 * <p>This class is the entry point for every {@link Operation} and holds the sync rules; the explicit operations have
 * rules of their own ({@link ImportPlanner}, {@link RemovalPlanner}), the guard applies itself ({@link
 * DeletionGuard#withhold}), and all of them share one {@link PlanningRun}.
 */
public final class Planner {

    /**
     * The planner's input: the policy, the source's entries, the vault's listing (every page, every state) and the
     * sync's state secret as the pass last read it (it may be fresher than the listing: the pass wrote it).
     */
    public record Input(SyncPolicy policy, List<SourceEntry> source, List<DestinationSecret> destination,
            SyncRecord record) {
        public Input {
            source = List.copyOf(source);
            destination = List.copyOf(destination);
        }

        /** With the state secret as the listing shows it. */
        public Input(SyncPolicy policy, List<SourceEntry> source, List<DestinationSecret> destination) {
            this(policy, source, destination, SyncRecord.in(policy.sync(), destination));
        }
    }

    private final PlanningRun run;
    private final SyncPolicy p;

    private Planner(PlanningRun run) {
        this.run = run;
        this.p = run.policy;
    }

    /**
     * The secrets whose current bundle {@link #plan} needs, each with the source key its value is fingerprinted under
     * (what it is compared with); empty on a fast steady-state pass.
     */
    public static Map<String, String> bundlesToRead(Input input) {
        return bundlesToRead(input, Operation.SYNC);
    }

    public static Map<String, String> bundlesToRead(Input input, Operation op) {
        PlanningRun run = new PlanningRun(input, Map.of(), true, null);
        decideAll(run, op);
        return run.requested();
    }

    /** A plan for an import or a removal (no guard: both are explicit requests). */
    public static Plan plan(Input input, Operation op, Map<String, BundleObservation> observed) {
        if (op == Operation.SYNC) {
            return plan(input, observed);
        }
        PlanningRun run = new PlanningRun(input, observed, false, null);
        return new Plan(input.policy().sync(), run.initial, input.policy().deletionDelayDays(), decideAll(run, op));
    }

    /**
     * The plan. {@code observed} maps secret ids to what reading their bundle showed; a read that {@link
     * #bundlesToRead} asked for and that is missing here counts as unreadable.
     */
    public static Plan plan(Input input, Map<String, BundleObservation> observed) {
        PlanningRun run = new PlanningRun(input, observed, false, null);
        SyncPolicy p = input.policy();
        List<PlannedChange> changes = new Planner(run).decideAll();
        if (!p.force()) {
            changes = p.guard().withhold(changes, run.managedLive(), run.sourceHasValues());
        }
        return new Plan(p.sync(), run.initial, p.deletionDelayDays(), changes);
    }

    /**
     * The bundle reads {@link #planName} needs. Used when the executor re-plans a single name after the vault changed
     * under it (a create that met "name already exists"); {@code initial} is the original plan's, since a listing of
     * one name cannot tell.
     */
    public static Map<String, String> bundlesToReadForName(Input input, boolean initial, String name) {
        PlanningRun run = new PlanningRun(input, Map.of(), true, initial);
        new Planner(run).decide(name);
        return run.requested();
    }

    /** The decision for one name, with the guard left out (a re-planned name is always desired). */
    public static PlannedChange planName(Input input, boolean initial, String name,
            Map<String, BundleObservation> observed) {
        return new Planner(new PlanningRun(input, observed, false, initial)).decide(name);
    }

    /**
     * Whether this is the sync's initial run: its state secret says an initial run left decisions outstanding (see
     * {@link SyncRecord}), or it has no state secret and no secret in the vault is its own (tagged so, under a claim
     * that verifies). A state secret that says the initial run is done is the last word: a sync that owns nothing
     * (its source was empty, its secrets were removed) does not start over, reaching secrets created since.
     */
    static boolean isInitial(SyncPolicy policy, List<DestinationSecret> destination, SyncRecord record) {
        return record.initialPending() || !record.exists() && destination.stream().noneMatch(policy::owns);
    }

    /**
     * As {@link #isInitial(Input)}, from a listing alone, the tags taken at their word (the {@code status} function's
     * reading: it reads no key, and decides nothing).
     */
    public static boolean isInitial(String sync, List<DestinationSecret> destination, SyncRecord record) {
        return record.initialPending() || !record.exists() && destination.stream()
                .noneMatch(s -> sync.equals(s.freeformTags().get(OwnershipTags.SYNC)) && !s.isStateSecret());
    }

    /** Whether a pass planned from {@code input} is the sync's initial run. */
    public static boolean isInitial(Input input) {
        return isInitial(input.policy(), input.destination(), input.record());
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
     * Whether a plan touches an untagged secret (an adoption, import or deletion to carry out, or one that waits), so
     * the initial run must be recorded pending before the first write: a pass cut short after it leaves the next pass
     * initial, to finish it. A manual import on an initial sync does as well. Nothing to do on an untagged secret (one
     * already on its way out) touches nothing.
     */
    public static boolean touchesUntagged(Plan plan, Input input, Operation op) {
        if (!plan.initial() || op == Operation.REMOVE) {
            return false;
        }
        Set<String> untagged = untaggedFitting(input);
        return op != Operation.SYNC || plan.changes().stream().anyMatch(c -> c.secretId() != null
                && untagged.contains(c.secretId()) && (c.isPending() || c.status() == ResultStatus.DEFERRED
                        || c.status() == ResultStatus.BLOCKED));
    }

    /**
     * The plan with none of its writes started, because what had to be recorded first could not be: each pending
     * change waits ({@code later}: DEFERRED, else FAILED) with {@code why}.
     */
    public static List<PlannedChange> notStarted(Plan plan, boolean later, Reason reason, String why) {
        List<PlannedChange> out = new ArrayList<>();
        for (PlannedChange c : plan.changes()) {
            out.add(!c.isPending() ? c : c.with(later ? ResultStatus.DEFERRED : ResultStatus.FAILED, reason,
                    "not started: " + why));
        }
        return out;
    }

    /**
     * The ids of the untagged secrets whose names fit the sync: what an initial run may adopt, import or delete, and
     * so what its state secret must record as pending before the first of those writes. While an initial run is
     * pending, only those created before it began.
     */
    public static Set<String> untaggedFitting(Input input) {
        SyncPolicy p = input.policy();
        Optional<Instant> since = input.record().initialSince();
        Set<String> untagged = new HashSet<>();
        for (DestinationSecret s : input.destination()) {
            if (PlanningRun.inInitialReach(p, s, since)) {
                untagged.add(s.id());
            }
        }
        return untagged;
    }

    private static List<PlannedChange> decideAll(PlanningRun run, Operation op) {
        return switch (op) {
            case SYNC -> new Planner(run).decideAll();
            case IMPORT_PRIORITIZE_SOURCE, IMPORT_PRIORITIZE_DESTINATION -> new ImportPlanner(run, op).decideAll();
            case REMOVE -> new RemovalPlanner(run).decideAll();
        };
    }

    /** One decision per name the source wants or the sync may act on (owns, or may adopt on the initial run). */
    private List<PlannedChange> decideAll() {
        Set<String> names = new TreeSet<>(run.desiredNames());
        for (String name : run.secretNames()) {
            DestinationSecret holder = run.holder(name);
            if (holder != null && run.relation(holder) != Relation.FOREIGN) {
                names.add(name);
            }
        }
        List<PlannedChange> out = new ArrayList<>(names.size());
        for (String name : names) {
            List<SourceEntry> ds = run.desired(name);
            PlannedChange decided = decide(name);
            if (ds.size() > 1 && decided.reason() == Reason.NAME_COLLISION) {
                for (SourceEntry e : ds) { // each key learns its own failure
                    out.add(decided.forKey(e.key(), e.sourceVersion()));
                }
            } else {
                out.add(decided);
            }
        }
        return out;
    }

    private PlannedChange decide(String name) {
        List<SourceEntry> ds = run.desired(name);
        List<DestinationSecret> present = run.liveSecrets(name);
        String key = ds.isEmpty() ? null : ds.get(0).key();
        if (present.size() > 1) {
            String ids = present.stream().map(DestinationSecret::id).collect(Collectors.joining(", "));
            return PlannedChange.failed(key, name, ds.isEmpty() ? Action.DELETE : Action.UPDATE, null,
                    Reason.NAME_AMBIGUOUS, ids);
        }
        DestinationSecret s = run.holder(name);
        Relation rel = s == null ? null : run.relation(s);
        Action write = s == null ? Action.CREATE : Action.UPDATE;
        String id = s == null ? null : s.id();

        if (ds.size() > 1) {
            return PlannedChange.failed(key, name, write, id, Reason.NAME_COLLISION, PlanningRun.origins(ds));
        }
        if (ds.isEmpty()) {
            if (s == null || rel == Relation.FOREIGN) { // never plan anything on a secret this sync does not own
                return PlannedChange.skipped(null, name, Action.NONE, id, Reason.NAME_HELD, null, null);
            }
            if (rel == Relation.FALSE_CLAIM) {
                return run.falseClaim(s);
            }
            return decideNotDesired(name, s, rel, run.keyOf(s), false);
        }
        SourceEntry d = ds.get(0);
        Optional<String> nameProblem = VaultLimits.nameProblem(name);
        if (nameProblem.isPresent()) {
            return PlannedChange.failed(key, name, write, id, Reason.INVALID_NAME, nameProblem.get());
        }
        if (d.isEmpty()) {
            if (rel == Relation.OWNED || rel == Relation.ADOPTABLE) {
                return decideNotDesired(name, s, rel, d.key(), true);
            }
            return PlannedChange.skipped(d.key(), name, write, id, Reason.EMPTY_IN_SOURCE, null, d.sourceVersion());
        }
        if (d.sizeBytes() > VaultLimits.MAX_CONTENT_BYTES) {
            return PlannedChange.failed(key, name, write, id, Reason.TOO_LARGE,
                    d.sizeBytes() + " bytes; OCI Vault stores at most " + VaultLimits.MAX_CONTENT_BYTES);
        }
        if (s == null) {
            return PlannedChange.create(d.key(), name, run.tags(name, d.key(), d.fingerprint()),
                    Reason.MISSING_IN_DESTINATION, d.sourceVersion());
        }
        if (rel == Relation.FOREIGN || rel == Relation.FALSE_CLAIM) {
            String holder = run.isProtected(s) ? "it holds configuration or credentials of this product"
                    : rel == Relation.FALSE_CLAIM ? "it is tagged as this sync's, but the claim of its tags does not "
                            + "verify (tagged by someone else, or under a fingerprint key this function no longer has)"
                    : s.ownerSync().map(o -> "it belongs to sync " + o)
                            .orElse("it carries no " + OwnershipTags.SYNC + " tag");
            return PlannedChange.failed(key, name, Action.UPDATE, id, Reason.NAME_HELD, holder);
        }
        return decideDesired(d, s, rel);
    }

    /** A name the source has a value for, held by a secret this sync owns or adopts. */
    private PlannedChange decideDesired(SourceEntry d, DestinationSecret s, Relation rel) {
        String name = s.name();
        Optional<Fingerprint> tag = s.fingerprint().filter(f -> f.keyId().equals(p.claims().keyId()));
        return switch (s.state()) {
            case ACTIVE -> rel == Relation.ADOPTABLE ? adopt(d, s) : compareOwned(d, s, tag);
            case PENDING_DELETION -> {
                // A deep pass trusts no tag: the value behind it may have been edited before the deletion.
                boolean completes = rel == Relation.OWNED && tag.isPresent() && tag.get().equals(d.fingerprint())
                        && !run.deep(s);
                yield PlannedChange.restore(d.key(), name, s.id(), completes, Reason.RESTORE_PENDING_DELETION,
                        completes ? "the value is unchanged"
                                : "the value is written on a later pass, once the secret is ACTIVE",
                        d.sourceVersion());
            }
            case SCHEDULING_DELETION, DELETING -> PlannedChange.deferred(d.key(), name, Action.RESTORE, s.id(),
                    Reason.IN_TRANSITION, s.state().name(), d.sourceVersion());
            case CREATING, UPDATING, CANCELLING_DELETION -> PlannedChange.deferred(d.key(), name, Action.UPDATE,
                    s.id(), Reason.IN_TRANSITION, s.state().name(), d.sourceVersion());
            default -> // FAILED, DELETED, UNKNOWN
                    PlannedChange.failed(d.key(), name, Action.UPDATE, s.id(), Reason.UNUSABLE_STATE, s.state().name());
        };
    }

    private PlannedChange compareOwned(SourceEntry d, DestinationSecret s, Optional<Fingerprint> tag) {
        Fingerprint want = d.fingerprint();
        if (tag.isPresent() && !tag.get().equals(want)) {
            return update(d, s, Reason.VALUE_CHANGED, null);
        }
        if (tag.isPresent() && !run.deep(s)) {
            return PlannedChange.none(d.key(), s.name(), s.id(), Reason.UP_TO_DATE, null, d.sourceVersion());
        }
        BundleObservation seen = run.observe(s, d.key());
        if (tag.isPresent()) { // deep check of a secret whose tag matches
            if (seen instanceof BundleObservation.Read r) {
                return r.fingerprint().equals(want)
                        ? PlannedChange.none(d.key(), s.name(), s.id(), Reason.UP_TO_DATE, "value checked",
                                d.sourceVersion())
                        : update(d, s, Reason.DRIFT, null);
            }
            return PlannedChange.failed(d.key(), s.name(), Action.UPDATE, s.id(), Reason.UNREADABLE,
                    PlanningRun.unreadable(seen));
        }
        // No fingerprint under the current key (key rotated, tag edited): compare values to avoid a new version.
        if (seen instanceof BundleObservation.Read r && r.fingerprint().equals(want)) {
            return retag(d, s, Reason.FINGERPRINT_REKEYED, null);
        }
        String detail = seen instanceof BundleObservation.Read ? null
                : "no comparable fingerprint and " + PlanningRun.unreadable(seen) + "; the source value is written";
        return update(d, s, Reason.VALUE_CHANGED, detail);
    }

    /** The initial run meets an ACTIVE secret that fits the schema and carries no owner tag. */
    private PlannedChange adopt(SourceEntry d, DestinationSecret s) {
        BundleObservation seen = run.observe(s, d.key());
        boolean destinationWins = p.initialSyncBehavior() == InitialSyncBehavior.IMPORT_PRIORITIZE_DESTINATION;
        if (seen instanceof BundleObservation.Read r) {
            if (r.fingerprint().equals(d.fingerprint())) {
                return retag(d, s, Reason.ADOPTED, "the value already matches");
            }
            if (destinationWins) {
                return run.importChange(d.key(), s, r.fingerprint(), Reason.IMPORT_DESTINATION_WINS);
            }
        } else if (destinationWins) {
            return run.importUnreadable(d.key(), s, seen);
        }
        return update(d, s, Reason.ADOPTED, "the source value replaces the destination's");
    }

    /** A name this sync owns or adopts, for which the source has no (non-empty) value. */
    private PlannedChange decideNotDesired(String name, DestinationSecret s, Relation rel, String key,
            boolean emptyInSource) {
        if (s.state() == LifecycleState.ACTIVE && rel == Relation.ADOPTABLE && p.initialSyncBehavior().imports()) {
            // The source lacks the key (or holds it empty): take the destination's value, never delete.
            return run.readAndImport(key, s, Reason.IMPORT_MISSING_IN_SOURCE);
        }
        if (p.disableSecretDeletion() && (s.state() == LifecycleState.ACTIVE || s.state().isTransitional())) {
            return PlannedChange.none(key, name, s.id(), Reason.DELETION_DISABLED, null, null);
        }
        if (s.state() == LifecycleState.ACTIVE && rel == Relation.ADOPTABLE && !p.force()) {
            // Someone else's secret until proven otherwise: an initial run deletes it only when a person forced it.
            return PlannedChange.delete(key, name, s.id(), Reason.UNTAGGED_DELETION, null)
                    .with(ResultStatus.BLOCKED, Reason.UNTAGGED_DELETION, null);
        }
        return switch (s.state()) {
            case ACTIVE -> PlannedChange.delete(key, name, s.id(),
                    emptyInSource ? Reason.EMPTY_IN_SOURCE : Reason.NOT_IN_SOURCE,
                    "scheduled for deletion in " + p.deletionDelayDays() + " days");
            case CREATING, UPDATING, SCHEDULING_DELETION, CANCELLING_DELETION, DELETING -> PlannedChange.deferred(key,
                    name, Action.DELETE, s.id(), Reason.IN_TRANSITION, s.state().name(), null);
            case PENDING_DELETION -> PlannedChange.none(key, name, s.id(), Reason.ALREADY_DELETING,
                    "PENDING_DELETION", null);
            default -> // FAILED, DELETED, UNKNOWN
                    PlannedChange.none(key, name, s.id(), Reason.UNUSABLE_STATE, s.state().name(), null);
        };
    }

    /** The source value written into {@code s}, which this sync owns or adopts. */
    private PlannedChange update(SourceEntry d, DestinationSecret s, Reason reason, String detail) {
        return PlannedChange.update(d.key(), s.name(), s.id(), run.tags(s.name(), d.key(), d.fingerprint()),
                reason, detail, d.sourceVersion());
    }

    /** Only our tags written onto {@code s}: it already holds the source value. */
    private PlannedChange retag(SourceEntry d, DestinationSecret s, Reason reason, String detail) {
        return PlannedChange.retag(d.key(), s.name(), s.id(), run.tags(s.name(), d.key(), d.fingerprint()),
                reason, detail, d.sourceVersion());
    }
}
