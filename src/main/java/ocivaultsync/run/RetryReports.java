package ocivaultsync.run;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.RetryInfo;
import ocivaultsync.report.SyncReport;
import ocivaultsync.requeue.RetryMessage;

/**
 * The retry side of a sync's report, for {@link SyncRunner}: the retry its work gets, and the report of a run that
 * joined another's work.
 */
final class RetryReports {

    private RetryReports() {
    }

    /**
     * Deferred work, and the work of triggers that joined this pass, get one retry doing all of it, back-off 15 s →
     * 120 s, at most 8 attempts; an automatic run rides on a pending retry of this chain that already covers it, a
     * manual run schedules its own. The report says when.
     */
    static SyncReport withRetry(SyncReport r, RunRequest request, String chain, RetryMessage joinedMeanwhile,
            boolean manual, RetryChains chains, Function<RetryMessage, Optional<RetryMessage>> retry, Clock clock) {
        RetryMessage next = r.hasDeferred() ? request.work(r.name()) : null;
        if (joinedMeanwhile != null) {
            next = next == null ? joinedMeanwhile : RetryChains.merge(next, joinedMeanwhile);
        }
        if (next == null) {
            return r;
        }
        RetryMessage work = next;
        Supplier<Optional<RetryMessage>> schedule = () -> retry.apply(work.at(work.attempt() + 1,
                clock.instant()));
        RetryMessage scheduled = (manual ? chains.schedule(chain, schedule)
                : chains.continueWith(chain, work, schedule)).orElse(null);
        if (scheduled == null) {
            return r;
        }
        return new SyncReport(r.name(), r.status(), r.initial(), r.counts(), r.results(),
                new RetryInfo(scheduled.attempt(), scheduled.notBefore().toString()), r.ociCalls(), r.durationMs(),
                r.error());
    }

    static SyncReport joined(SyncDefinition sync, RetryMessage pending, String why) {
        return SyncReport.deferred(sync.name(), pending == null ? null
                : new RetryInfo(pending.attempt(), pending.notBefore().toString()), why);
    }
}
