package ocivaultsync.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/**
 * A worker thread that already exists when the caller sets its context inherits nothing (as under Quarkus, where the
 * request's context lives in its Vert.x context, not in a thread-local a new thread would copy): the carried work
 * sees the caller's fields, and leaves the worker's own context as it found it.
 */
class LogContextTest {

    @Test
    void carriedWorkRunsInTheCallersContextAndRestoresTheWorkers() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            worker.submit(() -> MDC.put("own", "worker")).get(); // the thread exists before the caller's fields
            MDC.put("runId", "r-1");
            MDC.put("sync", "app");
            try {
                assertNull(worker.submit(() -> MDC.get("runId")).get(), "a plain task does not see the caller's");
                Map<String, String> seen = worker.submit(LogContext.carried(() -> Map.of(
                        "runId", String.valueOf(MDC.get("runId")), "sync", String.valueOf(MDC.get("sync")),
                        "own", String.valueOf(MDC.get("own"))))).get();
                assertEquals(Map.of("runId", "r-1", "sync", "app", "own", "null"), seen);
                assertEquals("worker", worker.submit(() -> MDC.get("own")).get(), "the worker's context is back");
                assertNull(worker.submit(() -> MDC.get("runId")).get());
            } finally {
                MDC.remove("runId");
                MDC.remove("sync");
            }
        } finally {
            worker.shutdownNow();
        }
    }
}
