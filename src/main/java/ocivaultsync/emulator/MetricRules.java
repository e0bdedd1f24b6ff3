package ocivaultsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Monitoring's checks on a PostMetricData request (docs/EMULATOR.md, "PostMetricData"). Each rule cites where it is
 * documented; how OCI answers a refused request as a whole is not documented (docs/ASSUMPTIONS.md).
 *
 * <ul>
 * <li>Per call: at most 50 unique metric streams and a {@code batchAtomicity} of ATOMIC or NON_ATOMIC (the
 *     PostMetricData operation: "Unique metric streams. Maximum: 50"; PostMetricDataDetails.batchAtomicity).</li>
 * <li>Per metric object (MetricDataDetails): a namespace that starts with a letter and holds only letters, digits and
 *     underscores, without the reserved prefixes {@code oci_} and {@code oracle_} (MetricDataDetails.namespace: "The
 *     oci_ prefix is reserved"; Publishing Custom Metrics: "don't use a reserved prefix (oci_ or oracle_)"); a
 *     compartment; a name that starts with a letter and holds only letters, digits, dots, underscores, hyphens and
 *     dollar signs, without the {@code oci_} prefix (MetricDataDetails.name); 1 to 20 dimensions (PostMetricData:
 *     "Dimensions per metric group. Maximum: 20. Minimum: 1"), keys of printable ASCII without spaces, at most 256
 *     characters, values of at most 512, neither empty (MetricDataDetails.dimensions); metadata keys and values of
 *     at most 256 (MetricDataDetails.metadata); a resource group shaped like a name (MetricDataDetails.resourceGroup);
 *     at least one datapoint, each with a value and a timestamp "less than two hours in the past and less than 10
 *     minutes in the future", and a count, when given, above zero (MetricDataDetails.datapoints, Datapoint).</li>
 * </ul>
 */
final class MetricRules {

    static final int MAX_STREAMS = 50;
    static final int MAX_DIMENSIONS = 20;
    static final int MAX_DIMENSION_KEY = 256;
    static final int MAX_DIMENSION_VALUE = 512;
    static final int MAX_METADATA = 256;
    static final Duration MAX_AGE = Duration.ofHours(2);
    static final Duration MAX_AHEAD = Duration.ofMinutes(10);

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._$-]*");
    private static final Pattern DIMENSION_KEY = Pattern.compile("[\\x21-\\x7e]+");

    private MetricRules() {
    }

    /** The request as a whole: a metric list, at most {@link #MAX_STREAMS} streams, a known batch atomicity. */
    static boolean atomic(JsonNode body) {
        JsonNode data = body.get("metricData");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw OciError.missing("metricData is required and must not be empty.");
        }
        JsonNode atomicity = body.get("batchAtomicity");
        String a = atomicity == null || atomicity.isNull() ? "NON_ATOMIC" : atomicity.asText();
        if (!a.equals("ATOMIC") && !a.equals("NON_ATOMIC")) {
            throw OciError.invalid("batchAtomicity must be ATOMIC or NON_ATOMIC.");
        }
        Set<String> streams = new HashSet<>();
        for (JsonNode m : data) {
            streams.add(String.join("\u0000", Requests.text(m, "namespace") + "", Requests.text(m, "compartmentId")
                    + "", Requests.text(m, "name") + "", Requests.text(m, "resourceGroup") + "",
                    String.valueOf(dimensions(m))));
        }
        if (streams.size() > MAX_STREAMS) {
            throw OciError.invalid("A PostMetricData request holds at most " + MAX_STREAMS
                    + " unique metric streams; this one holds " + streams.size() + ".");
        }
        return a.equals("ATOMIC");
    }

    /** Why this metric object is refused, or null. {@code now} is the emulator's clock. */
    static String problem(JsonNode m, Instant now) {
        String namespace = Requests.text(m, "namespace");
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            return "namespace must start with a letter and hold only letters, digits and underscores.";
        }
        if (namespace.startsWith("oci_") || namespace.startsWith("oracle_")) {
            return "namespace " + namespace + ": the prefixes oci_ and oracle_ are reserved.";
        }
        String compartment = Requests.text(m, "compartmentId");
        if (compartment == null || compartment.isBlank()) {
            return "compartmentId is required.";
        }
        String name = Requests.text(m, "name");
        if (name == null || !NAME.matcher(name).matches()) {
            return "name must start with a letter and hold only letters, digits, dots, underscores, hyphens and "
                    + "dollar signs.";
        }
        if (name.startsWith("oci_")) {
            return "name " + name + ": the prefix oci_ is reserved.";
        }
        String group = Requests.text(m, "resourceGroup");
        if (group != null && !NAME.matcher(group).matches()) {
            return "resourceGroup must start with a letter and hold only letters, digits, periods, underscores, "
                    + "hyphens and dollar signs.";
        }
        String dims = dimensionProblem(m.get("dimensions"));
        if (dims != null) {
            return dims;
        }
        JsonNode metadata = m.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().length() > MAX_METADATA || e.getValue().asText().length() > MAX_METADATA) {
                    return "metadata keys and values hold at most " + MAX_METADATA + " characters.";
                }
            }
        }
        return datapointProblem(m.get("datapoints"), now);
    }

    private static String dimensionProblem(JsonNode dims) {
        if (dims == null || !dims.isObject() || dims.isEmpty()) {
            return "dimensions are required: at least 1.";
        }
        if (dims.size() > MAX_DIMENSIONS) {
            return "at most " + MAX_DIMENSIONS + " dimensions; " + dims.size() + " given.";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = dims.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String value = e.getValue().isNull() ? "" : e.getValue().asText();
            if (!DIMENSION_KEY.matcher(key).matches() || key.length() > MAX_DIMENSION_KEY) {
                return "dimension key '" + key + "': printable ASCII without spaces, 1 to " + MAX_DIMENSION_KEY
                        + " characters.";
            }
            if (value.isEmpty() || value.length() > MAX_DIMENSION_VALUE) {
                return "dimension " + key + ": the value must hold 1 to " + MAX_DIMENSION_VALUE + " characters.";
            }
        }
        return null;
    }

    private static String datapointProblem(JsonNode points, Instant now) {
        if (points == null || !points.isArray() || points.isEmpty()) {
            return "datapoints are required: at least one.";
        }
        for (JsonNode p : points) {
            Instant t = timestamp(p);
            if (t == null) {
                return "each datapoint needs an RFC 3339 timestamp.";
            }
            if (!t.isAfter(now.minus(MAX_AGE)) || !t.isBefore(now.plus(MAX_AHEAD))) {
                return "datapoint timestamp " + Json.time(t) + " is not within two hours before and 10 minutes "
                        + "after the current time.";
            }
            JsonNode v = p.get("value");
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                return "each datapoint needs a numeric value.";
            }
            JsonNode count = p.get("count");
            if (count != null && !count.isNull() && (!count.canConvertToInt() || count.asInt() <= 0)) {
                return "a datapoint's count must be greater than zero.";
            }
        }
        return null;
    }

    static Instant timestamp(JsonNode p) {
        String t = Requests.text(p, "timestamp");
        if (t == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The metric's dimensions as given (empty when absent or not an object: {@link #problem} says why). */
    static Map<String, String> dimensions(JsonNode m) {
        JsonNode d = m.get("dimensions");
        Map<String, String> out = new TreeMap<>();
        if (d != null && d.isObject()) {
            d.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
