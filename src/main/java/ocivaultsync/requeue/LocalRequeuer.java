package ocivaultsync.requeue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** For local runs: an in-process timer that delivers the nudge to the same handler at its not-before time. */
public final class LocalRequeuer implements Requeuer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalRequeuer.class);

    private final Clock clock;
    private final Consumer<Nudge> handler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ovs-retry-timer");
        t.setDaemon(true);
        return t;
    });

    public LocalRequeuer(Clock clock, Consumer<Nudge> handler) {
        this.clock = clock;
        this.handler = handler;
    }

    @Override
    public boolean retry(Nudge n) {
        long delay = Math.max(0, Duration.between(clock.instant(), n.notBefore()).toMillis());
        timer.schedule(() -> {
            try {
                handler.accept(n);
            } catch (RuntimeException e) {
                LOG.errorf("retry of sync %s failed: %s", n.sync(), e.getClass().getSimpleName());
            }
        }, delay, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
