package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.report.RunReport;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;

/**
 * A nudge arrives ({@code {"retry": {...}}}, sent by this function to itself when a pass deferred work, or to hand a
 * sync off): it waits until the nudge's not-before time, within the call's deadline, then reconciles the one sync it
 * names toward the intent recorded in OCI (docs/ARCHITECTURE.md, "Retries and hand-offs").
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

    /** Whether the body is a nudge rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("retry");
    }

    public RunReport handle(JsonNode body, java.util.Optional<Instant> callDeadline) {
        Nudge n = Bodies.nudge(body);
        SyncConfig cfg = runner.config();
        if (cfg.sync(n.sync()).isEmpty()) {
            throw new SyncRunner.UnknownSync(n.sync(), cfg); // before waiting: a nudge for no sync waits for nothing
        }
        waitUntil(n.notBefore(), callDeadline.orElse(clock.instant().plus(Duration.ofMinutes(5))));
        return runner.run(cfg, RunRequest.of(n).withDeadline(callDeadline.orElse(null)));
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
