package ocivaultsync.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import ocivaultsync.report.Counts;
import java.util.Optional;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;

/**
 * The metrics of one pass, as posted (README, "Metrics, alerts and logs"): one datapoint per metric, all at the pass's end,
 * with the dimensions {@code sync} and {@code trigger}. Names and counts only, never a value.
 *
 * <table>
 * <caption>Metrics</caption>
 * <tr><th>name</th><th>value</th></tr>
 * <tr><td>{@code passes_<outcome>}</td><td>1, for the pass's outcome only ({@code passes_succeeded},
 *     {@code passes_partial}, {@code passes_failed}, {@code passes_deferred}, {@code passes_skipped}, one per
 *     {@link SyncStatus}): summed over a window, the number of passes with that outcome. A sync with no successful pass
 *     has no {@code passes_succeeded} datapoint, which an absence alarm sees</td></tr>
 * <tr><td>{@code consecutive_failures}</td><td>how many passes of the sync in a row failed (FAILED, PARTIAL or
 *     BLOCKED), as its state secret counts them ({@link PassStatus}), so across every container: 0 after a pass that
 *     succeeded or deferred. Posted only when the pass knew it (not for a hand-off, a join, a skip, or a vault it
 *     could not list); the failing-sync alarm fires on it</td></tr>
 * <tr><td>{@code secrets_created}, {@code secrets_updated}, {@code secrets_deleted}, {@code secrets_failed}</td>
 *     <td>the report's counts</td></tr>
 * <tr><td>{@code pass_duration_ms}</td><td>the report's {@code durationMs}</td></tr>
 * <tr><td>{@code vault_calls}</td><td>the report's OCI calls: list pages + bundle reads + writes (not
 *     {@code oci_calls}: the {@code oci_} prefix is reserved for metric names too)</td></tr>
 * </table>
 *
 * @param compartmentId where the metrics are posted
 * @param dimensions    {@code sync} and {@code trigger}
 * @param values        metric name → value, in the order above
 */
public record PassMetrics(String compartmentId, Map<String, String> dimensions, Instant timestamp,
        Map<String, Double> values) {

    /**
     * The metric namespace. Not {@code oci_vault_sync}: Monitoring reserves the prefixes {@code oci_} and
     * {@code oracle_} for Oracle's own namespaces ("For the metric namespace, don't use a reserved prefix (oci_ or
     * oracle_)", Publishing Custom Metrics; "The oci_ prefix is reserved", MetricDataDetails.namespace in the API
     * reference). The IAM statement and the alarms of the Terraform module name it too.
     */
    public static final String NAMESPACE = "ocivaultsync";

    /** The metric of a pass outcome. */
    public static String outcome(SyncStatus status) {
        return "passes_" + status.name().toLowerCase(Locale.ROOT);
    }

    public PassMetrics {
        dimensions = Map.copyOf(dimensions);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The metric the failing-sync alarm watches. */
    public static final String CONSECUTIVE_FAILURES = "consecutive_failures";

    /**
     * The metrics of {@code report}, posted to {@code compartmentId}, stamped {@code at}, with the consecutive
     * failures of {@code status} when the pass knew them.
     */
    public static PassMetrics of(String compartmentId, Trigger trigger, SyncReport report,
            Optional<PassStatus> status, Instant at) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(outcome(report.status()), 1.0);
        status.ifPresent(s -> v.put(CONSECUTIVE_FAILURES, (double) s.failures()));
        Counts c = report.counts();
        v.put("secrets_created", (double) c.create());
        v.put("secrets_updated", (double) c.update());
        v.put("secrets_deleted", (double) c.delete());
        v.put("secrets_failed", (double) c.failed());
        v.put("pass_duration_ms", (double) report.durationMs());
        OciCalls calls = report.ociCalls() == null ? OciCalls.NONE : report.ociCalls();
        v.put("vault_calls", (double) (calls.list() + calls.read() + calls.write()));
        return new PassMetrics(compartmentId, Map.of("sync", report.name(), "trigger", trigger.wire()), at, v);
    }

    /** The unit a metric is posted with (its metadata; not part of what identifies the metric). */
    public static String unit(String metric) {
        return metric.endsWith("_ms") ? "milliseconds" : "count";
    }

    public String sync() {
        return dimensions.get("sync");
    }
}
