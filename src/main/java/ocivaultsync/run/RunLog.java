package ocivaultsync.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.Trigger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The run's log (F17): one line per sync and per secret result, one per run; names, actions, statuses and reasons,
 * never a value. Fields go into the MDC so the JSON log format carries them as fields: {@link Fields} sets a run's
 * {@code runId}, {@code trigger} and {@code sync} for every line logged while the run works (carried onto the threads
 * that work for it by {@link ocivaultsync.apply.LogContext}); the lines here add {@code secret}, {@code action} and
 * {@code status}.
 */
final class RunLog {

    private static final Logger LOG = Logger.getLogger("ocivaultsync.run");

    private RunLog() {
    }

    /**
     * The fields of one run, in the MDC from construction to {@link #close()}, which puts back what was there before
     * (a run started from inside another's context, as a local retry is, leaves that context as it found it).
     */
    static final class Fields implements AutoCloseable {
        private static final List<String> KEYS = List.of("runId", "sync", "trigger");
        private final Map<String, Object> before = new HashMap<>();

        Fields(String runId, Trigger trigger) {
            for (String k : KEYS) {
                before.put(k, MDC.get(k));
            }
            MDC.put("runId", runId);
            MDC.put("trigger", trigger.wire());
            MDC.remove("sync");
        }

        /** The sync the run works on from now on (null: none, as for the run's own last line). */
        void sync(String name) {
            if (name == null) {
                MDC.remove("sync");
            } else {
                MDC.put("sync", name);
            }
        }

        @Override
        public void close() {
            before.forEach((k, v) -> {
                if (v == null) {
                    MDC.remove(k);
                } else {
                    MDC.put(k, v);
                }
            });
        }
    }

    static void sync(SyncReport s) {
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
            MDC.remove("status");
            MDC.remove("secret");
            MDC.remove("action");
        }
    }

    static void retriesUsedUp(String sync, int attempts) {
        LOG.warnf("sync %s: %d retries used up; the next scheduled run takes it from here", sync, attempts);
    }

    static void run(RunReport run) {
        LOG.infof("run %s %s dryRun=%s syncs=%d", run.runId(), run.trigger().wire(), run.dryRun(),
                run.syncs().size());
    }
}
