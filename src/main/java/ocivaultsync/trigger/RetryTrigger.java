package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.RunRequests;
import ocivaultsync.run.SyncRunner;

/**
 * A retry or hand-off message arrives ({@code {"retry": {...}}}, sent by this function to itself when a run deferred
 * work). It waits until the message's not-before time, within the call's deadline, then runs the one sync it names
 * with the operation, options, origin and deep-check secrets of the run that deferred (see docs/ARCHITECTURE.md,
 * "Retries and hand-offs").
 */
public final class RetryTrigger {

    private final SyncRunner runner;
    private final Clock clock;
    private final Sleeper sleeper;

    public RetryTrigger(SyncRunner runner, Clock clock, Sleeper sleeper) {
        this.runner = runner;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Whether the body is a retry message rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("retry");
    }

    public RunReport handle(JsonNode body, RunRequest base) {
        RunRequests.checkFields(body, Set.of("retry"), "in a retry message");
        RetryMessage m;
        try {
            m = RetryMessage.parse(body.get("retry"));
        } catch (IllegalArgumentException e) {
            throw RequestException.invalid(e.getMessage());
        }
        SyncConfig cfg = runner.config();
        SyncDefinition def = SyncRunner.find(cfg, m.sync());
        waitUntil(m.notBefore(), base.deadline().orElse(clock.instant().plus(Duration.ofMinutes(5))));
        // The run continues the work that deferred: same operation, options and origin.
        return runner.run(cfg, List.of(def), base.withTrigger(Trigger.RETRY).withOrigin(m.origin())
                .withRetryAttempt(m.attempt()).withSince(m.since()).withOperation(m.operation()).withVerify(m.verify())
                .withForce(m.force()).withVerbose(m.verbose())
                .withDeepSecretIds(m.deepSecretIds().isEmpty() ? Map.of() : Map.of(m.sync(), m.deepSecretIds())));
    }

    /** Waits until {@code notBefore}, but leaves at least a third of the time to the deadline for the run itself. */
    private void waitUntil(Instant notBefore, Instant deadline) {
        Instant now = clock.instant();
        Instant latest = now.plus(Duration.between(now, deadline).multipliedBy(2).dividedBy(3));
        Instant until = notBefore.isBefore(latest) ? notBefore : latest;
        Duration wait = Duration.between(now, until);
        if (!wait.isNegative() && !wait.isZero()) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
