package ocivaultsync.run;

import ocivaultsync.config.SyncDefinition;
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
    PassListener NONE = (sync, trigger, report) -> {
    };

    /** @param trigger what started this run (a retry or hand-off says {@code retry}) */
    void passEnded(SyncDefinition sync, Trigger trigger, SyncReport report);
}
