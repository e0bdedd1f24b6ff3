package ocivaultsync.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataResponseDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PostMetricData through the real SDK's MonitoringClient, signed: what is accepted is shown by the admin API
 * ({@code GET /_emulator/metrics}); each of Monitoring's documented rules refuses with its message (one table row per
 * rule, each a valid metric with one thing wrong).
 */
class EmulatorMetricsTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    static final ObjectMapper M = new ObjectMapper();
    static MonitoringClient monitoring;

    @BeforeAll
    static void client() {
        monitoring = EMULATOR.fixture().monitoring();
    }

    @AfterAll
    static void close() {
        monitoring.close();
    }

    static MetricDataDetails.Builder valid(String name) {
        return MetricDataDetails.builder().namespace("ocivaultsync").compartmentId(EMULATOR.fixture().compartmentId())
                .name(name).dimensions(Map.of("sync", "app-prod", "trigger", "schedule"))
                .metadata(Map.of("unit", "count"))
                .datapoints(List.of(Datapoint.builder().timestamp(new Date()).value(3.0).build()));
    }

    static PostMetricDataResponseDetails post(PostMetricDataDetails.BatchAtomicity atomicity,
            MetricDataDetails... metrics) {
        return monitoring.postMetricData(PostMetricDataRequest.builder().postMetricDataDetails(
                PostMetricDataDetails.builder().metricData(List.of(metrics)).batchAtomicity(atomicity).build())
                .build()).getPostMetricDataResponseDetails();
    }

    static JsonNode received() throws Exception {
        HttpResponse<String> r = EMULATOR.fixture().raw("GET", "/_emulator/metrics", null);
        assertEquals(200, r.statusCode(), r.body());
        return M.readTree(r.body());
    }

    @Test
    void acceptedMetricsAreShownByTheAdminApiUntilReset() throws Exception {
        Date at = new Date();
        PostMetricDataResponseDetails answer = post(null, valid("passes_succeeded").datapoints(List.of(
                Datapoint.builder().timestamp(at).value(1.0).build())).build(), valid("pass_duration_ms").build());
        assertEquals(0, answer.getFailedMetricsCount());
        assertEquals(List.of(), answer.getFailedMetrics());

        JsonNode all = received();
        assertEquals(2, all.size());
        JsonNode first = all.get(0);
        assertEquals("ocivaultsync", first.get("namespace").asText());
        assertEquals(EMULATOR.fixture().compartmentId(), first.get("compartmentId").asText());
        assertEquals("passes_succeeded", first.get("name").asText());
        assertEquals(Map.of("sync", "app-prod", "trigger", "schedule"), M.convertValue(first.get("dimensions"),
                Map.class));
        assertEquals(Map.of("unit", "count"), M.convertValue(first.get("metadata"), Map.class));
        assertEquals(1.0, first.get("datapoints").get(0).get("value").asDouble());
        assertEquals(1, first.get("datapoints").get(0).get("count").asInt());
        assertEquals(at.toInstant().toEpochMilli(), Instant.parse(first.get("datapoints").get(0).get("timestamp")
                .asText()).toEpochMilli());
        assertEquals("pass_duration_ms", all.get(1).get("name").asText());
        assertEquals(1L, EMULATOR.fixture().emulator.calls().get("PostMetricData"));

        assertEquals(200, EMULATOR.fixture().raw("DELETE", "/_emulator/metrics", null).statusCode());
        assertEquals(0, received().size());
        post(null, valid("vault_calls").build());
        assertEquals(200, EMULATOR.fixture().raw("POST", "/_emulator/reset", null).statusCode());
        assertEquals(0, received().size());
    }

    static Stream<Arguments> refusals() {
        Map<String, String> twentyOne = new LinkedHashMap<>();
        IntStream.rangeClosed(1, 21).forEach(i -> twentyOne.put("d" + i, "v"));
        Date twoHoursAgo = Date.from(Instant.now().minus(Duration.ofHours(2)).minusSeconds(5));
        Date elevenMinutesAhead = Date.from(Instant.now().plus(Duration.ofMinutes(11)));
        return Stream.of(
                row("the oci_ namespace prefix is reserved", b -> b.namespace("oci_vault_sync"),
                        "namespace oci_vault_sync: the prefixes oci_ and oracle_ are reserved."),
                row("the oracle_ namespace prefix is reserved", b -> b.namespace("oracle_sync"),
                        "namespace oracle_sync: the prefixes oci_ and oracle_ are reserved."),
                row("a namespace starts with a letter", b -> b.namespace("1sync"),
                        "namespace must start with a letter and hold only letters, digits and underscores."),
                row("a namespace has no hyphen", b -> b.namespace("vault-sync"),
                        "namespace must start with a letter and hold only letters, digits and underscores."),
                row("a compartment is required", b -> b.compartmentId(null), "compartmentId is required."),
                row("a name has no space", b -> b.name("passes succeeded"),
                        "name must start with a letter and hold only letters, digits, dots, underscores, hyphens and "
                                + "dollar signs."),
                row("the oci_ name prefix is reserved", b -> b.name("oci_calls"),
                        "name oci_calls: the prefix oci_ is reserved."),
                row("at least one dimension", b -> b.dimensions(Map.of()), "dimensions are required: at least 1."),
                row("at most 20 dimensions", b -> b.dimensions(twentyOne), "at most 20 dimensions; 21 given."),
                row("a dimension key has no space", b -> b.dimensions(Map.of("sync name", "x")),
                        "dimension key 'sync name': printable ASCII without spaces, 1 to 256 characters."),
                row("a dimension key holds at most 256 characters", b -> b.dimensions(Map.of("k".repeat(257), "x")),
                        "dimension key '" + "k".repeat(257) + "': printable ASCII without spaces, 1 to 256 "
                                + "characters."),
                row("a dimension value is not empty", b -> b.dimensions(Map.of("sync", "")),
                        "dimension sync: the value must hold 1 to 512 characters."),
                row("a dimension value holds at most 512 characters", b -> b.dimensions(Map.of("sync",
                        "v".repeat(513))), "dimension sync: the value must hold 1 to 512 characters."),
                row("metadata values hold at most 256 characters", b -> b.metadata(Map.of("unit", "u".repeat(257))),
                        "metadata keys and values hold at most 256 characters."),
                row("at least one datapoint", b -> b.datapoints(List.of()), "datapoints are required: at least one."),
                row("a datapoint two hours old is refused", b -> b.datapoints(List.of(Datapoint.builder()
                        .timestamp(twoHoursAgo).value(1.0).build())), "datapoint timestamp "
                                + Json.time(twoHoursAgo.toInstant()) + " is not within two hours before and 10 "
                                + "minutes after the current time."),
                row("a datapoint 11 minutes ahead is refused", b -> b.datapoints(List.of(Datapoint.builder()
                        .timestamp(elevenMinutesAhead).value(1.0).build())), "datapoint timestamp "
                                + Json.time(elevenMinutesAhead.toInstant()) + " is not within two hours before and 10 "
                                + "minutes after the current time."),
                row("a datapoint's count is above zero", b -> b.datapoints(List.of(Datapoint.builder()
                        .timestamp(new Date()).value(1.0).count(0).build())),
                        "a datapoint's count must be greater than zero."),
                row("a resource group is shaped like a name", b -> b.resourceGroup("fleet one"),
                        "resourceGroup must start with a letter and hold only letters, digits, periods, underscores, "
                                + "hyphens and dollar signs."));
    }

    static Arguments row(String rule, UnaryOperator<MetricDataDetails.Builder> wrong, String message) {
        return Arguments.of(Named.of(rule, wrong), message);
    }

    /** Alone in a request, a refused metric refuses the request: 400 InvalidParameter with the rule; nothing kept. */
    @ParameterizedTest
    @MethodSource("refusals")
    void eachDocumentedRuleRefusesWithItsMessage(UnaryOperator<MetricDataDetails.Builder> wrong, String message)
            throws Exception {
        BmcException e = assertThrows(BmcException.class, () -> post(null, wrong.apply(valid("vault_calls")
                .name("secrets_created")).build()));
        assertEquals(400, e.getStatusCode());
        assertEquals("InvalidParameter", e.getServiceCode());
        assertEquals(message, e.getUnmodifiedMessage());
        assertEquals(0, received().size());
    }

    @Test
    void nonAtomicKeepsTheValidMetricsAndNamesTheRefusedOnes() throws Exception {
        PostMetricDataResponseDetails answer = post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                valid("passes_failed").build(), valid("reserved_namespace").namespace("oci_vault_sync").build());
        assertEquals(1, answer.getFailedMetricsCount());
        assertEquals("namespace oci_vault_sync: the prefixes oci_ and oracle_ are reserved.",
                answer.getFailedMetrics().get(0).getMessage());
        assertEquals("reserved_namespace", answer.getFailedMetrics().get(0).getMetricData().getName());
        assertEquals(List.of("passes_failed"), names(received()));
    }

    @Test
    void atomicRefusesTheWholeRequestForOneRefusedMetric() throws Exception {
        BmcException e = assertThrows(BmcException.class, () -> post(PostMetricDataDetails.BatchAtomicity.Atomic,
                valid("passes_failed").build(), valid("no_dims").dimensions(Map.of()).build()));
        assertEquals(400, e.getStatusCode());
        assertEquals("dimensions are required: at least 1.", e.getUnmodifiedMessage());
        assertEquals(0, received().size());
    }

    @Test
    void atMostFiftyUniqueStreamsPerCall() throws Exception {
        List<MetricDataDetails> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(valid("m" + i).build());
        }
        fifty.add(valid("m0").build()); // the same stream again: still 50
        assertEquals(0, post(null, fifty.toArray(MetricDataDetails[]::new)).getFailedMetricsCount());
        fifty.add(valid("m50").build());
        BmcException e = assertThrows(BmcException.class, () -> post(null, fifty.toArray(MetricDataDetails[]::new)));
        assertEquals(400, e.getStatusCode());
        assertEquals("A PostMetricData request holds at most 50 unique metric streams; this one holds 51.",
                e.getUnmodifiedMessage());
    }

    @Test
    void anotherCompartmentAnswersAsAMissingPolicyWould() {
        BmcException e = assertThrows(BmcException.class, () -> post(null, valid("vault_calls").name("x")
                .compartmentId("ocid1.compartment.oc1..someoneelse").build()));
        assertEquals(404, e.getStatusCode());
        assertEquals("NotAuthorizedOrNotFound", e.getServiceCode());
    }

    @Test
    void anUnsignedPostIsNotAuthenticated() throws Exception {
        HttpResponse<String> r = EMULATOR.fixture().raw("POST", "/20180401/metrics", "{\"metricData\":[]}");
        assertEquals(401, r.statusCode());
        assertEquals("NotAuthenticated", M.readTree(r.body()).get("code").asText());
        assertEquals(0, received().size());
    }

    @Test
    void injectedFaultsApplyToPostMetricData() {
        EMULATOR.fixture().emulator.faults().add(new Faults.Rule("PostMetricData", 503, 1.0, 1, 0, false, false));
        BmcException e = assertThrows(BmcException.class, () -> post(null, valid("vault_calls").name("x").build()));
        assertEquals(503, e.getStatusCode());
        assertTrue(post(null, valid("x").build()).getFailedMetricsCount() == 0);
    }

    static List<String> names(JsonNode metrics) {
        List<String> out = new ArrayList<>();
        metrics.forEach(m -> out.add(m.get("name").asText()));
        return out;
    }
}
