package ocivaultsync.metrics;

/** Where a pass's metrics go: OCI Monitoring ({@link OciMetricsSink}), or a recorder in tests. */
@FunctionalInterface
public interface MetricsSink {

    /**
     * Posts them, blocking; throws {@link Refused} when they were not all accepted. Anything else it throws is logged
     * by its type only.
     */
    void post(PassMetrics metrics);

    /**
     * The metrics were not all accepted; the message is fit for a log line (OCI's code and request id, never a
     * value).
     */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
