package ocivaultsync.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * The blast-radius guard (F14): deletions are withheld when they exceed {@code maxPercent} of the managed set
 * <em>and</em> number more than {@code minCount}, or whenever the source came back with nothing.
 *
 * <p>The guard applies itself to a plan ({@link #withhold}) rather than leaving that to {@link Planner}, so its
 * thresholds, its arithmetic and the message a blocked deletion carries are read, and tested, in one place.
 */
public record DeletionGuard(int maxPercent, int minCount) {

    public static final DeletionGuard DEFAULT = new DeletionGuard(50, 3);

    public DeletionGuard {
        if (maxPercent < 0 || maxPercent > 100 || minCount < 0) {
            throw new IllegalArgumentException("maxPercent must be 0..100 and minCount 0 or more");
        }
    }

    /** Whether {@code deletions} out of a managed set of {@code managed} secrets trips the guard. */
    boolean trips(int deletions, int managed) {
        return deletions > minCount && (long) deletions * 100 > (long) maxPercent * managed;
    }

    /**
     * The changes with every planned deletion BLOCKED when the guard trips, else unchanged. Forcing is the caller's
     * call: a forced sync does not ask.
     *
     * @param managed         the live secrets the sync manages or may adopt
     * @param sourceHasValues whether the source returned any secret with a value
     */
    List<PlannedChange> withhold(List<PlannedChange> changes, int managed, boolean sourceHasValues) {
        long deletions = changes.stream().filter(DeletionGuard::isPlannedDeletion).count();
        if (deletions == 0) {
            return changes;
        }
        Reason reason;
        String detail;
        if (!sourceHasValues) {
            reason = Reason.GUARD_EMPTY_SOURCE;
            detail = deletions + " deletion(s) withheld";
        } else if (trips((int) deletions, managed)) {
            reason = Reason.GUARD_TOO_MANY;
            detail = deletions + " of " + managed + " managed secrets, more than " + maxPercent + "% and more than "
                    + minCount;
        } else {
            return changes;
        }
        List<PlannedChange> out = new ArrayList<>(changes.size());
        for (PlannedChange c : changes) {
            out.add(isPlannedDeletion(c) ? c.with(ResultStatus.BLOCKED, reason, detail) : c);
        }
        return out;
    }

    private static boolean isPlannedDeletion(PlannedChange c) {
        return c.action() == Action.DELETE && c.status() == ResultStatus.PLANNED;
    }
}
