package ocivaultsync.run;

import java.util.Optional;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.Trigger;

/**
 * Told of each sync a run took care of (a pass, a hand-off, a join, a skip; never a dry run), right after its report
 * is logged and inside the run's logging context: the metrics publisher listens here. Called on the run's thread, so
 * it must return at once; what it throws is logged and ignored, never the run's failure.
 */
@FunctionalInterface
public interface PassListener {

    /** Listens to nothing. */
    PassListener NONE = (sync, trigger, report, status) -> {
    };

    /**
     * @param trigger what started this run (a retry or hand-off says {@code retry})
     * @param status  the status the pass left on the sync's state secret (or worked out, when it could not write it):
     *                consecutive failures counted across containers; empty when no pass ran here (a hand-off, a
     *                join, a skip) or the vault could not be listed
     */
    void passEnded(SyncDefinition sync, Trigger trigger, SyncReport report, Optional<PassStatus> status);
}
