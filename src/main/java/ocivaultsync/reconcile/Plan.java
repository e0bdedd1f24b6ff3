package ocivaultsync.reconcile;

import java.util.Comparator;
import java.util.List;

/**
 * A complete plan for one sync: one entry per name considered, NONE entries included, sorted by name so output and
 * tests are deterministic.
 *
 * @param sync              the sync's name
 * @param initial           whether this is the sync's initial run (no secret carried its tag)
 * @param deletionDelayDays the window for DELETE actions
 * @param changes           the entries, by name
 */
public record Plan(String sync, boolean initial, int deletionDelayDays, List<PlannedChange> changes) {

    public Plan {
        changes = changes.stream().sorted(Comparator.comparing(PlannedChange::name)).toList();
    }

    /** The entries the executor must carry out. */
    public List<PlannedChange> pending() {
        return changes.stream().filter(PlannedChange::isPending).toList();
    }

    /** The entry for a name, if any. */
    java.util.Optional<PlannedChange> forName(String name) {
        return changes.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
