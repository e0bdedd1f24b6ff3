package ocivaultsync.requeue;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** For local runs: an in-process timer that delivers the same retry message to the same handler. */
public final class LocalRequeuer implements Requeuer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalRequeuer.class);

    private final RetryPolicy policy;
    private final Clock clock;
    private final Consumer<RetryMessage> handler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ovs-retry-timer");
        t.setDaemon(true);
        return t;
    });

    public LocalRequeuer(RetryPolicy policy, Clock clock, Consumer<RetryMessage> handler) {
        this.policy = policy;
        this.clock = clock;
        this.handler = handler;
    }

    @Override
    public Optional<RetryMessage> retry(RetryMessage next) {
        String sync = next.sync();
        if (next.attempt() > policy.maxAttempts()) {
            LOG.warnf("sync %s: %d retries used up", sync, policy.maxAttempts());
            return Optional.empty();
        }
        Duration delay = policy.delay(next.attempt());
        RetryMessage m = next.at(next.attempt(), clock.instant().plus(delay));
        timer.schedule(() -> {
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                LOG.errorf("retry of sync %s failed: %s", sync, e.getClass().getSimpleName());
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(m);
    }

    @Override
    public boolean handOff(RetryMessage work) {
        return false;
    }

    @Override
    public String mode() {
        return "local";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
