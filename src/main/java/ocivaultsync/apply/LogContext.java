package ocivaultsync.apply;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jboss.logging.MDC;

/**
 * The logging context (the MDC: a run's {@code runId}, {@code sync} and {@code trigger}, an Fn call id) carried onto
 * the threads that work for the caller, so every line logged there says whose it is (README, "Metrics, alerts and logs"). A worker
 * thread's MDC is its own: without this, lines logged by a pool thread would lack the run's fields.
 */
public final class LogContext {

    private LogContext() {
    }

    /** {@code work} that runs with the caller's context as it is now, and leaves its thread's context as it found it. */
    public static <T> Callable<T> carried(Callable<T> work) {
        Map<String, Object> caller = snapshot();
        return () -> {
            Map<String, Object> before = snapshot();
            replace(caller);
            try {
                return work.call();
            } finally {
                replace(before);
            }
        };
    }

    private static Map<String, Object> snapshot() {
        Map<String, Object> now = MDC.getMap();
        return now == null ? Map.of() : new HashMap<>(now);
    }

    private static void replace(Map<String, Object> fields) {
        MDC.clear();
        fields.forEach((k, v) -> {
            if (v != null) {
                MDC.put(k, v);
            }
        });
    }
}
