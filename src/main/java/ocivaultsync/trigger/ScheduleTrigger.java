package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.RunRequests;
import ocivaultsync.run.SyncRunner;

/**
 * A schedule body arrives ({@code {"trigger": "schedule"}}, from a Resource Scheduler schedule or a timer), with
 * optionally one sync by name and the options of {@code sync} except {@code dryRun}. It runs that sync, or every
 * sync; only syncs with auto-sync on run for a schedule (see README, "Triggers: how each one reaches the function").
 */
final class ScheduleTrigger {

    private static final Set<String> FIELDS = Set.of("trigger", "sync", "verify", "force", "verbose");

    private final SyncRunner runner;

    ScheduleTrigger(SyncRunner runner) {
        this.runner = runner;
    }

    /** Whether the body is a schedule's rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("trigger");
    }

    public RunReport handle(JsonNode body, RunRequest base) {
        RunRequests.checkFields(body, FIELDS, "in a schedule body");
        if (!"schedule".equals(body.path("trigger").asText())) {
            throw RequestException.invalid("trigger: must be schedule");
        }
        ObjectNode options = body.deepCopy();
        options.remove("trigger");
        RunRequest parsed = RunRequests.parse(options, false);
        RunRequest req = base.withTrigger(Trigger.SCHEDULE).withVerify(parsed.verify()).withForce(parsed.force())
                .withVerbose(parsed.verbose());
        SyncConfig cfg = runner.config();
        List<SyncDefinition> which = parsed.sync().isPresent() ? List.of(SyncRunner.find(cfg, parsed.sync().get()))
                : cfg.syncs();
        return runner.run(cfg, which, req);
    }
}
