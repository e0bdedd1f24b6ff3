package ocivaultsync.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * The import rules (F9): which of the vault's values go into the source, for {@link
 * Operation#IMPORT_PRIORITIZE_SOURCE} and {@link Operation#IMPORT_PRIORITIZE_DESTINATION}.
 *
 * <p>Its own class because an import is an explicit request that reads the vault the other way round from a sync: it
 * walks the secrets the vault holds rather than the names the source wants, never deletes, and passes no guard. Beside
 * the sync rules in {@link Planner} it only blurred which rule applied to which operation.
 */
final class ImportPlanner {

    private final PlanningRun run;
    private final SyncPolicy p;
    private final Operation op;

    ImportPlanner(PlanningRun run, Operation op) {
        if (op != Operation.IMPORT_PRIORITIZE_SOURCE && op != Operation.IMPORT_PRIORITIZE_DESTINATION) {
            throw new IllegalArgumentException("not an import: " + op);
        }
        this.run = run;
        this.p = run.policy;
        this.op = op;
    }

    /**
     * One decision per secret the sync owns, plus, on the initial run, per untagged secret whose name fits the key
     * schema (an import is how a user brings them under the sync at any time).
     */
    List<PlannedChange> decideAll() {
        List<PlannedChange> out = new ArrayList<>();
        for (DestinationSecret s : run.soleLiveHolders()) {
            if (run.relation(s) == PlanningRun.Relation.FALSE_CLAIM) {
                out.add(run.falseClaim(s));
                continue;
            }
            boolean owned = run.relation(s) == PlanningRun.Relation.OWNED;
            // Untagged secrets are adopted only as the initial rules allow: once the initial run is done they
            // belong to someone else, an import included.
            if (owned || run.adoptable(s)) {
                out.add(decide(s, owned));
            }
        }
        return out;
    }

    private PlannedChange decide(DestinationSecret s, boolean owned) {
        String key = run.keyOf(s);
        if (key == null) {
            return PlannedChange.failed(null, s.name(), Action.IMPORT, s.id(), Reason.NO_KEY, null);
        }
        if (s.state() != LifecycleState.ACTIVE) {
            return PlannedChange.none(key, s.name(), s.id(),
                    s.state().isTransitional() ? Reason.IN_TRANSITION : Reason.UNUSABLE_STATE, s.state().name(), null);
        }
        List<SourceEntry> ds = run.desired(p.nameFor(key)).stream().filter(e -> e.key().equals(key)).toList();
        if (ds.size() > 1) {
            return PlannedChange.failed(key, s.name(), Action.IMPORT, s.id(), Reason.NAME_COLLISION,
                    PlanningRun.origins(ds));
        }
        SourceEntry d = ds.isEmpty() ? null : ds.get(0);
        if (d == null || d.isEmpty()) {
            return run.readAndImport(key, s, Reason.IMPORT_MISSING_IN_SOURCE);
        }
        if (op == Operation.IMPORT_PRIORITIZE_SOURCE) {
            return PlannedChange.none(key, s.name(), s.id(), Reason.UP_TO_DATE, "the source has this key and wins",
                    d.sourceVersion());
        }
        // The tag only says what this sync last wrote; the vault's current value may differ (an edit in the
        // console is exactly what an import should take), so the bundle is always read here.
        BundleObservation seen = run.observe(s, key);
        if (!(seen instanceof BundleObservation.Read r)) {
            return run.importUnreadable(key, s, seen);
        }
        if (!r.fingerprint().equals(d.fingerprint())) {
            return run.importChange(key, s, r.fingerprint(), Reason.IMPORT_DESTINATION_WINS);
        }
        return owned ? PlannedChange.none(key, s.name(), s.id(), Reason.UP_TO_DATE, null, d.sourceVersion())
                : PlannedChange.retag(d.key(), s.name(), s.id(), run.tags(s.name(), d.key(), d.fingerprint()),
                        Reason.ADOPTED, "the value already matches", d.sourceVersion());
    }
}
