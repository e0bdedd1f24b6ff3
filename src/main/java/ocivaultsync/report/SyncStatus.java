package ocivaultsync.report;

/** A sync's outcome in a report (README, 'Calling it'). */
public enum SyncStatus {
    /** Every result done, or nothing to do. */
    SUCCEEDED,
    /** Something failed or was blocked beside results that were done. */
    PARTIAL,
    /** Something waits on a lifecycle state and will be retried; nothing failed. */
    DEFERRED,
    /** The run could not start or stopped before any write; {@code error} says why. */
    FAILED,
    /** The trigger does not run this sync (auto-sync off). */
    SKIPPED
}
