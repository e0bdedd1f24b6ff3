package ocivaultsync.report;

import java.util.Optional;
import ocivaultsync.reconcile.ResultStatus;

/**
 * A pass's outcome as a sync's status keeps it ({@link PassStatus}): the report's status, except that a PARTIAL pass
 * whose only trouble is BLOCKED results (a deletion the guard withheld, an untagged secret an initial run may not
 * delete without {@code force}) is BLOCKED, so a person can tell "waits for you" from "fails".
 */
public enum PassOutcome {
    SUCCEEDED,
    /** Something failed beside results that were done. */
    PARTIAL,
    /** Something waits for a person's decision (BLOCKED results); nothing failed. */
    BLOCKED,
    DEFERRED,
    FAILED;

    /** The outcome a report records; empty for a SKIPPED sync, which ran no pass. */
    public static Optional<PassOutcome> of(SyncReport report) {
        return switch (report.status()) {
            case SKIPPED -> Optional.empty();
            case PARTIAL -> Optional.of(report.results().stream().anyMatch(r -> r.status() == ResultStatus.FAILED)
                    || report.counts().failed() > 0 ? PARTIAL : BLOCKED);
            default -> Optional.of(valueOf(report.status().name()));
        };
    }

    /**
     * Whether it counts as a failed pass: FAILED, PARTIAL, and BLOCKED too (what it withholds stays out of sync until
     * someone decides, so it must reach a person like a failure).
     */
    public boolean failing() {
        return this == FAILED || this == PARTIAL || this == BLOCKED;
    }
}
