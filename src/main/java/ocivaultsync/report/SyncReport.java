package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.ResultStatus;

/**
 * One sync's part of a {@link RunReport} (README, 'Calling it').
 *
 * @param results every name that is not NONE; all of them when the request asked for {@code verbose}
 * @param retry   set when something was deferred and a retry is scheduled
 * @param error   why the run could not start or stopped before any write; never a value
 */
@JsonPropertyOrder({"name", "status", "initial", "counts", "results", "retry", "ociCalls", "durationMs", "error"})
public record SyncReport(String name, SyncStatus status, boolean initial, Counts counts, List<SecretResult> results,
        RetryInfo retry, OciCalls ociCalls, long durationMs, String error) {

    /** The report of a sync whose plan ran (or was only planned). */
    public static SyncReport of(String name, boolean initial, List<PlannedChange> changes, boolean verbose,
            RetryInfo retry, OciCalls calls, long durationMs) {
        List<SecretResult> results = changes.stream()
                .filter(c -> verbose || c.action() != Action.NONE || c.status() != ResultStatus.DONE)
                .map(SecretResult::of).toList();
        return new SyncReport(name, statusOf(changes), initial, Counts.of(changes), results, retry, calls, durationMs,
                null);
    }

    /** The report of a sync that could not run. */
    public static SyncReport failed(String name, String error, OciCalls calls, long durationMs) {
        return new SyncReport(name, SyncStatus.FAILED, false, Counts.ZERO, List.of(), null, calls, durationMs, error);
    }

    /** The report of a sync whose work waits elsewhere (handed off, or joined to a pending retry): nothing ran here. */
    public static SyncReport deferred(String name, RetryInfo retry, String why) {
        return new SyncReport(name, SyncStatus.DEFERRED, false, Counts.ZERO, List.of(), retry, OciCalls.NONE, 0, why);
    }

    /** The report of a sync this trigger does not run. */
    public static SyncReport skipped(String name) {
        return new SyncReport(name, SyncStatus.SKIPPED, false, Counts.ZERO, List.of(), null, OciCalls.NONE, 0, null);
    }

    /**
     * FAILED (every result failed), PARTIAL (something failed or was blocked), DEFERRED (something waits) or
     * SUCCEEDED, in that precedence.
     */
    public static SyncStatus statusOf(List<PlannedChange> changes) {
        if (!changes.isEmpty() && changes.stream().allMatch(c -> c.status() == ResultStatus.FAILED)) {
            return SyncStatus.FAILED;
        }
        boolean failedOrBlocked = changes.stream()
                .anyMatch(c -> c.status() == ResultStatus.FAILED || c.status() == ResultStatus.BLOCKED);
        if (failedOrBlocked) {
            return SyncStatus.PARTIAL;
        }
        return changes.stream().anyMatch(c -> c.status() == ResultStatus.DEFERRED) ? SyncStatus.DEFERRED
                : SyncStatus.SUCCEEDED;
    }

    /** Whether anything of this sync waits for a later pass. */
    public boolean hasDeferred() {
        return counts.deferred() > 0 || results.stream().anyMatch(r -> r.status() == ResultStatus.DEFERRED);
    }
}
