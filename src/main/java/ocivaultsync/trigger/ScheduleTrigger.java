package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import ocivaultsync.report.RunReport;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;

/**
 * A schedule body arrives ({@code {"trigger": "schedule"}}, from a Resource Scheduler schedule or a timer), with
 * optionally one sync by name and {@code verify}. It runs a pass of that sync, or of every sync, toward the intent
 * recorded in OCI; only syncs with auto-sync on run for a schedule (see docs/ARCHITECTURE.md, "Triggers: how each one
 * reaches the function").
 */
final class ScheduleTrigger {

    private final SyncRunner runner;

    ScheduleTrigger(SyncRunner runner) {
        this.runner = runner;
    }

    /** Whether the body is a schedule's rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("trigger");
    }

    public RunReport handle(JsonNode body, java.util.Optional<java.time.Instant> deadline) {
        return runner.run(runner.config(), Bodies.schedule(body).withDeadline(deadline.orElse(null)));
    }
}
