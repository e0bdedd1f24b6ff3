package ocivaultsync.run;

import ocivaultsync.report.RunReport;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The run's log (F17): one line per sync and per secret result, one per run; names, actions, statuses and reasons,
 * never a value. Fields go into the MDC so the JSON log format carries them as fields.
 */
final class RunLog {

    private static final Logger LOG = Logger.getLogger("ocivaultsync.run");

    private RunLog() {
    }

    static void sync(String runId, RunRequest request, SyncReport s) {
        MDC.put("runId", runId);
        MDC.put("sync", s.name());
        MDC.put("trigger", request.trigger().wire());
        try {
            for (SecretResult r : s.results()) {
                MDC.put("secret", r.name());
                MDC.put("action", r.action().name());
                MDC.put("status", r.status().name());
                LOG.infof("secret %s %s %s: %s%s", r.name(), r.action(), r.status(), r.reason(),
                        r.sourceVersion() == null ? "" : " (source version " + r.sourceVersion() + ")");
            }
            MDC.remove("secret");
            MDC.remove("action");
            MDC.put("status", s.status().name());
            LOG.infof("sync %s %s counts=%s ociCalls=%s durationMs=%d%s", s.name(), s.status(), s.counts(),
                    s.ociCalls(), s.durationMs(), s.error() == null ? "" : " error=" + s.error());
        } finally {
            MDC.remove("sync");
            MDC.remove("status");
            MDC.remove("secret");
            MDC.remove("action");
        }
    }

    static void retriesUsedUp(String sync, int attempts) {
        LOG.warnf("sync %s: %d retries used up; the next scheduled run takes it from here", sync, attempts);
    }

    static void run(RunReport run) {
        MDC.put("runId", run.runId());
        MDC.put("trigger", run.trigger().wire());
        try {
            LOG.infof("run %s %s dryRun=%s syncs=%d", run.runId(), run.trigger().wire(), run.dryRun(),
                    run.syncs().size());
        } finally {
            MDC.remove("runId");
            MDC.remove("trigger");
        }
    }
}
