package ocivaultsync.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * The remove rules (F9): schedule the deletion of every secret the sync owns. The sync's state secret stays: it
 * records the remove as the newest explicit operation, so an older retry cannot bring the secrets back.
 *
 * <p>Its own class because a removal answers to none of the sync rules: it ignores what the source holds, ignores
 * disabled deletion (F6, as Infisical does) and passes no guard. Kept apart, none of those exceptions has to be read
 * around in {@link Planner}.
 */
final class RemovalPlanner {

    private final PlanningRun run;

    RemovalPlanner(PlanningRun run) {
        this.run = run;
    }

    /** One decision per live secret the sync owns (a name held by several is left alone). */
    List<PlannedChange> decideAll() {
        List<PlannedChange> out = new ArrayList<>();
        for (DestinationSecret s : run.soleLiveHolders()) {
            switch (run.relation(s)) {
                case OWNED -> out.add(decide(s));
                case FALSE_CLAIM -> out.add(run.falseClaim(s));
                default -> {
                }
            }
        }
        return out;
    }

    private PlannedChange decide(DestinationSecret s) {
        String key = run.keyOf(s);
        return switch (s.state()) {
            case ACTIVE -> PlannedChange.delete(key, s.name(), s.id(), Reason.REMOVE_REQUESTED,
                    "scheduled for deletion in " + run.policy.deletionDelayDays() + " days");
            case PENDING_DELETION -> PlannedChange.none(key, s.name(), s.id(), Reason.ALREADY_DELETING,
                    "PENDING_DELETION", null);
            case CREATING, UPDATING, SCHEDULING_DELETION, CANCELLING_DELETION, DELETING -> PlannedChange.deferred(key,
                    s.name(), Action.DELETE, s.id(), Reason.IN_TRANSITION, s.state().name(), null);
            default -> PlannedChange.none(key, s.name(), s.id(), Reason.UNUSABLE_STATE, s.state().name(), null);
        };
    }
}
