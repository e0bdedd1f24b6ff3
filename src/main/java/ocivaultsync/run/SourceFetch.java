package ocivaultsync.run;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import ocivaultsync.apply.LogContext;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceSnapshot;

/**
 * The source fetch of a pass, run beside the vault listing. Its own class because a thread, its logging context and
 * unwrapping its failure are nothing of what a pass decides.
 */
final class SourceFetch {

    private SourceFetch() {
    }

    /**
     * Starts {@code source.fetch()} on a thread of its own, one per pass (so as many as passes run at once, no pool to
     * size or leak), carrying the caller's logging context (the run's runId, sync and trigger, the Fn call id) so the
     * fetch's lines say whose they are.
     */
    static FutureTask<SourceSnapshot> start(SecretSource source) {
        FutureTask<SourceSnapshot> task = new FutureTask<>(LogContext.carried(source::fetch));
        Thread t = new Thread(task, "ovs-source-fetch");
        t.setDaemon(true);
        t.start();
        return task;
    }

    static <T> T join(FutureTask<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the source was being read", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the source fetch failed", e.getCause());
        }
    }
}
