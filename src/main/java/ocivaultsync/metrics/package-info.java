/**
 * The pass metrics (README, "Metrics, alerts and logs"): after each pass, one PostMetricData to OCI Monitoring in the
 * namespace {@value ocivaultsync.metrics.PassMetrics#NAMESPACE}, dimensions {@code sync} and {@code trigger}, posted from
 * a background thread through a bounded queue. Posting never fails or slows a run: what cannot be queued or posted is
 * dropped with one log line. {@link ocivaultsync.metrics.MetricsPublisher} listens to the runner
 * ({@link ocivaultsync.run.PassListener}); {@link ocivaultsync.metrics.OciMetricsSink} is the SDK adapter.
 */
package ocivaultsync.metrics;
