package ocivaultsync.metrics;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.FailedMetricRecord;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataResponseDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Posts a pass's metrics with one PostMetricData call through the SDK's MonitoringClient (built by
 * {@code OciClients#monitoring}, on the telemetry-ingestion endpoint). The batch is NON_ATOMIC, the API's default: the
 * metrics that pass validation are stored even when another is refused, and the refused ones come back in the answer,
 * which is turned into the exception the publisher logs.
 */
public final class OciMetricsSink implements MetricsSink {

    /** Longest OCI message kept in a log line. */
    static final int MAX_MESSAGE = 300;

    private final Supplier<MonitoringClient> client;

    public OciMetricsSink(Supplier<MonitoringClient> client) {
        this.client = client;
    }

    @Override
    public void post(PassMetrics m) {
        Date at = Date.from(m.timestamp());
        List<MetricDataDetails> data = m.values().entrySet().stream().map(e -> MetricDataDetails.builder()
                .namespace(PassMetrics.NAMESPACE).compartmentId(m.compartmentId()).name(e.getKey())
                .dimensions(m.dimensions()).metadata(Map.of("unit", PassMetrics.unit(e.getKey())))
                .datapoints(List.of(Datapoint.builder().timestamp(at).value(e.getValue()).build()))
                .build()).toList();
        PostMetricDataResponseDetails answer;
        try {
            answer = client.get().postMetricData(PostMetricDataRequest.builder()
                    .postMetricDataDetails(PostMetricDataDetails.builder().metricData(data).build()).build())
                    .getPostMetricDataResponseDetails();
        } catch (BmcException e) {
            throw new Refused("OCI " + e.getServiceCode() + " (HTTP " + e.getStatusCode() + ", "
                    + "opc-request-id " + e.getOpcRequestId() + "): " + shortMessage(e));
        }
        Integer failed = answer == null ? null : answer.getFailedMetricsCount();
        if (failed != null && failed > 0) {
            List<FailedMetricRecord> records = answer.getFailedMetrics();
            FailedMetricRecord first = records == null || records.isEmpty() ? null : records.get(0);
            throw new Refused("OCI refused " + failed + " of " + data.size() + " metrics"
                    + (first == null ? "" : ", first " + (first.getMetricData() == null ? "?"
                            : first.getMetricData().getName()) + ": " + cut(first.getMessage())));
        }
    }

    private static String shortMessage(BmcException e) {
        if (e.isClientSide()) {
            return "the request did not reach OCI";
        }
        String m = e.getUnmodifiedMessage();
        if (m == null) {
            return "no message";
        }
        int nl = m.indexOf('\n');
        return cut(nl < 0 ? m : m.substring(0, nl));
    }

    private static String cut(String m) {
        return m == null ? "no message" : m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }
}
