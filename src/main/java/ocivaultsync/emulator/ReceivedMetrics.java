package ocivaultsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Monitoring side of the emulator: PostMetricData's answer and the metrics it accepted, in arrival order, for the
 * admin API ({@code GET /_emulator/metrics}) and tests. Accepted metrics are kept as posted; nothing is aggregated.
 */
public final class ReceivedMetrics {

    /** One datapoint as posted. */
    public record Datapoint(Instant timestamp, double value, int count) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("timestamp", Json.time(timestamp));
            m.put("value", value);
            m.put("count", count);
            return m;
        }
    }

    /** One accepted metric object (MetricDataDetails) and when it arrived. */
    public record Metric(String namespace, String compartmentId, String name, String resourceGroup,
            Map<String, String> dimensions, Map<String, String> metadata, List<Datapoint> datapoints,
            Instant receivedAt) {

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("namespace", namespace);
            m.put("compartmentId", compartmentId);
            m.put("name", name);
            m.put("resourceGroup", resourceGroup);
            m.put("dimensions", dimensions);
            m.put("metadata", metadata);
            m.put("datapoints", datapoints.stream().map(Datapoint::toJson).toList());
            m.put("receivedAt", Json.time(receivedAt));
            return m;
        }

        /** The single datapoint's value (what the product posts: one per metric and pass). */
        public double value() {
            return datapoints.get(0).value();
        }
    }

    private final List<Metric> received = new ArrayList<>();

    /**
     * PostMetricData: checks the request ({@link MetricRules}), keeps the metrics that pass, and answers
     * {@code {"failedMetricsCount", "failedMetrics": [{"metricData", "message"}]}} (PostMetricDataResponseDetails).
     * ATOMIC: one refused metric refuses the request; NON_ATOMIC (the default): at least one must pass.
     *
     * @param visible whether the caller may post to that compartment (else 404, as for a missing policy)
     */
    Map<String, Object> post(JsonNode body, Instant now, java.util.function.Predicate<String> visible) {
        boolean atomic = MetricRules.atomic(body);
        List<Metric> accepted = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        for (JsonNode m : body.get("metricData")) {
            String compartment = Requests.text(m, "compartmentId");
            if (compartment != null && !visible.test(compartment)) {
                throw OciError.notFound();
            }
            String problem = MetricRules.problem(m, now);
            if (problem == null) {
                accepted.add(read(m, now));
            } else {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("metricData", Json.MAPPER.convertValue(m, Map.class));
                f.put("message", problem);
                failed.add(f);
            }
        }
        if (!failed.isEmpty() && (atomic || accepted.isEmpty())) {
            throw OciError.invalid((String) failed.get(0).get("message"));
        }
        synchronized (this) {
            received.addAll(accepted);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("failedMetricsCount", failed.size());
        answer.put("failedMetrics", failed);
        return answer;
    }

    private static Metric read(JsonNode m, Instant now) {
        List<Datapoint> points = new ArrayList<>();
        for (JsonNode p : m.get("datapoints")) {
            JsonNode count = p.get("count");
            points.add(new Datapoint(MetricRules.timestamp(p), p.get("value").asDouble(),
                    count == null || count.isNull() ? 1 : count.asInt()));
        }
        Map<String, String> metadata = Requests.stringMap(m, "metadata");
        return new Metric(Requests.text(m, "namespace"), Requests.text(m, "compartmentId"), Requests.text(m, "name"),
                Requests.text(m, "resourceGroup"), Map.copyOf(MetricRules.dimensions(m)),
                metadata == null ? Map.of() : Map.copyOf(metadata), List.copyOf(points), now);
    }

    public synchronized List<Metric> all() {
        return List.copyOf(received);
    }

    public synchronized void clear() {
        received.clear();
    }
}
