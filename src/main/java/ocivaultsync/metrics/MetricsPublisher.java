package ocivaultsync.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.apply.LogContext;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.run.PassListener;
import org.jboss.logging.Logger;

/**
 * Posts each pass's metrics (README, "Metrics, alerts and logs") without ever failing or slowing a run: the runner's thread
 * only builds the few numbers and offers them to a bounded queue; one background thread posts them, one PostMetricData
 * per pass, in order (so the posts of a run never exceed Monitoring's 50 calls per second per tenancy). A full queue,
 * or a post that fails (after the SDK's few retries), drops that pass's metrics with one log line, in the pass's own
 * logging context (runId, sync, trigger). Off ({@code ovs.metrics.enabled=false}): it is never told of a pass.
 */
public final class MetricsPublisher implements PassListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class);

    /** Passes waiting to be posted before the next one is dropped. */
    public static final int DEFAULT_CAPACITY = 100;

    /** Longest wait on close for what is queued to be posted. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final MetricsSink sink;
    private final Optional<String> compartmentId;
    private final Clock clock;
    private final BlockingQueue<Callable<Void>> queue;
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param compartmentId where to post; empty: the compartment of each sync's destination vault
     * @param capacity      passes that may wait to be posted
     */
    public MetricsPublisher(MetricsSink sink, Optional<String> compartmentId, Clock clock, int capacity) {
        this.sink = sink;
        this.compartmentId = compartmentId;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::work, "ovs-metrics");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void passEnded(SyncDefinition sync, Trigger trigger, SyncReport report, Optional<PassStatus> status) {
        if (closed) {
            return;
        }
        PassMetrics m = PassMetrics.of(compartmentId.orElse(sync.destination().compartmentId()), trigger, report,
                status, clock.instant());
        // Captured here, on the run's thread: the post's log line, if any, carries the run's fields.
        Callable<Void> post = LogContext.carried(() -> {
            post(m);
            return null;
        });
        pending.incrementAndGet();
        if (!queue.offer(post)) {
            pending.decrementAndGet();
            LOG.warnf("metrics of sync %s dropped: %d passes already wait to be posted", m.sync(), queue.size());
        }
    }

    private void post(PassMetrics m) {
        try {
            sink.post(m);
        } catch (MetricsSink.Refused e) {
            LOG.warnf("metrics of sync %s not posted, dropped: %s", m.sync(), e.getMessage());
        } catch (RuntimeException e) {
            // Only the type: an unexpected exception's message could quote anything (a JDK one, a header value).
            LOG.warnf("metrics of sync %s not posted, dropped: unexpected %s", m.sync(), e.getClass().getName());
        }
    }

    private void work() {
        while (true) {
            Callable<Void> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                next.call();
            } catch (Exception | Error e) {
                LOG.warnf("metrics dropped: %s", e.getClass().getName());
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Waits until every pass offered so far is posted or dropped; false when {@code timeout} ran out first. */
    public boolean drain(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Takes no more passes, gives the queued ones a few seconds to be posted, and stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            drain(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            worker.interrupt();
        }
    }
}
