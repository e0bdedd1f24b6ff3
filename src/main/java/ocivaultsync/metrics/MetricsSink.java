package ocivaultsync.metrics;

/** Where a pass's metrics go: OCI Monitoring ({@link OciMetricsSink}), or a recorder in tests. */
@FunctionalInterface
public interface MetricsSink {

    /**
     * Posts them, blocking; throws when they were not all accepted, with a message fit for a log line (never a value:
     * metrics hold names and counts only).
     */
    void post(PassMetrics metrics);
}
