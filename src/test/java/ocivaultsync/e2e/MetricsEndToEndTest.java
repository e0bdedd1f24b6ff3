package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.Faults;
import ocivaultsync.emulator.ReceivedMetrics;
import ocivaultsync.metrics.MetricsPublisher;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pass metrics end to end (README, "Metrics, alerts and logs"): the product posts them through the real SDK, signed, to
 * the emulator's PostMetricData, which keeps what it accepts under Monitoring's rules; the assertions read what it
 * received. A sync made to fail, then to recover; a Monitoring that refuses; no value in any metric.
 */
class MetricsEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(10)
            .withTransitionsBetween(50, 500));

    @TempDir
    Path dir;
    Harness h;
    MetricsPublisher metrics;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
        metrics = h.publishMetrics();
    }

    @AfterEach
    void tearDown() {
        metrics.close();
        h.close();
    }

    /** What the emulator received, by metric name, for one pass (the product posts one datapoint per metric). */
    Map<String, Double> received(int pass) throws InterruptedException {
        assertTrue(metrics.drain(Duration.ofSeconds(30)), "the metrics were posted");
        List<ReceivedMetrics.Metric> all = EMULATOR.fixture().emulator.metrics().all();
        Map<String, Double> out = new LinkedHashMap<>();
        int seen = -1;
        for (ReceivedMetrics.Metric m : all) {
            if (m.name().startsWith("passes_")) {
                seen++;
            }
            if (seen == pass) {
                out.put(m.name(), m.value());
            }
        }
        return out;
    }

    @Test
    void aFailingSyncThenItsRecoveryPostTheirOutcomesWithTheSyncAndTrigger() throws Exception {
        h.source(Map.of("DB_PASS", "metrics-canary-1", "API_KEY", "metrics-canary-2"));
        // Every list fails: the pass cannot start (the SDK's two attempts both meet the fault).
        EMULATOR.fixture().emulator.faults().add(new Faults.Rule("ListSecrets", 500, 1.0, 2, 0, false, false));
        SyncReport failed = h.sync();
        assertEquals(SyncStatus.FAILED, failed.status());
        Map<String, Double> first = received(0);
        // No consecutive_failures: a pass that could not list its vault cannot read or keep the sync's count.
        assertEquals(Map.of("passes_failed", 1.0, "secrets_created", 0.0, "secrets_updated", 0.0,
                "secrets_deleted", 0.0, "secrets_failed", 0.0, "pass_duration_ms", (double) failed.durationMs(),
                "vault_calls", (double) (failed.ociCalls().list() + failed.ociCalls().read()
                        + failed.ociCalls().write())), first);

        SyncReport recovered = h.sync();
        assertEquals(SyncStatus.SUCCEEDED, recovered.status());
        Map<String, Double> second = received(1);
        assertEquals(1.0, second.get("passes_succeeded"));
        assertEquals(0.0, second.get("consecutive_failures"));
        assertEquals(2.0, second.get("secrets_created"));
        OciCalls calls = recovered.ociCalls();
        assertEquals((double) (calls.list() + calls.read() + calls.write()), second.get("vault_calls"));
        assertTrue(calls.list() == 2 && calls.write() >= 3 && calls.read() >= 1, "two list pages (before and after the record), two creates, and "
                + "the manual sync's record of itself: creating the state secret, and reading it once more before "
                + "the first write; then its status, when the state secret is ACTIVE by then: " + calls);

        for (ReceivedMetrics.Metric m : EMULATOR.fixture().emulator.metrics().all()) {
            assertEquals("ocivaultsync", m.namespace());
            assertEquals(EMULATOR.fixture().compartmentId(), m.compartmentId(), "the destination's compartment");
            assertEquals(Map.of("sync", "app", "trigger", "manual"), m.dimensions(), m.name());
            assertEquals(1, m.datapoints().size());
            String json = m.toJson().toString();
            assertTrue(!json.contains("metrics-canary") && !json.contains("bWV0cmljcy1jYW5hcnk"), json);
        }
        assertEquals(2L, EMULATOR.fixture().emulator.calls().get("PostMetricData"), "one call per pass");
    }

    /**
     * consecutive_failures, the gauge the failing-sync alarm watches, is the count the sync's state secret keeps: it
     * grows with each failing pass and falls to 0 with the first that succeeds.
     */
    @Test
    void theConsecutiveFailuresPostedAreTheCountTheStatusKeeps() throws Exception {
        h.source(Map.of("A", "a"));
        h.sync();
        java.nio.file.Files.writeString(h.secretsFile, "A: [unclosed\n");
        h.pass();
        h.pass();
        h.source(Map.of("A", "a"));
        h.pass();
        assertEquals(List.of(0.0, 1.0, 2.0, 0.0), List.of(received(0).get("consecutive_failures"),
                received(1).get("consecutive_failures"), received(2).get("consecutive_failures"),
                received(3).get("consecutive_failures")));
        assertEquals(0, h.status().consecutiveFailures(), "and status says so");
    }

    @Test
    void aScheduledRunPostsUnderTheScheduleTriggerAndADryRunPostsNothing() throws Exception {
        h.source(Map.of("A", "a"));
        h.plan();
        RunReport scheduled = h.call("event", "{\"trigger\":\"schedule\"}", Map.of());
        assertEquals(SyncStatus.SUCCEEDED, scheduled.syncs().get(0).status());
        assertTrue(metrics.drain(Duration.ofSeconds(30)));
        List<ReceivedMetrics.Metric> all = EMULATOR.fixture().emulator.metrics().all();
        assertEquals(8, all.size(), "one pass's metrics: the plan posted none");
        assertEquals(Map.of("sync", "app", "trigger", "schedule"), all.get(0).dimensions());
        assertEquals("passes_succeeded", all.get(0).name());
    }

    @Test
    void aMonitoringThatRefusesLeavesTheRunAsItWasAndTheNextPassPostsAgain() throws Exception {
        h.source(Map.of("A", "a"));
        EMULATOR.fixture().emulator.faults().add(new Faults.Rule("PostMetricData", 500, 1.0, 2, 0, false, false));
        try (JsonLogLines log = new JsonLogLines()) {
            RunReport run = h.run(ocivaultsync.run.RunRequest.manual(null, false));
            assertEquals(SyncStatus.SUCCEEDED, run.syncs().get(0).status(), "the run does not see the refusal");
            assertTrue(metrics.drain(Duration.ofSeconds(30)));
            List<JsonLogLines.Line> dropped = log.from(t -> t.equals("ovs-metrics"));
            assertEquals(1, dropped.size(), "one line for the dropped metrics");
            JsonLogLines.Line line = dropped.get(0);
            assertTrue(line.json().path("message").asText().startsWith("metrics of sync app not posted, dropped: "
                    + "OCI InternalServerError (HTTP 500, opc-request-id "), line.text());
            assertEquals(run.runId(), line.mdc("runId"), "the line names the run it belongs to");
            assertEquals("app", line.mdc("sync"));
            assertEquals("manual", line.mdc("trigger"));
        }
        assertEquals(List.of(), EMULATOR.fixture().emulator.metrics().all());
        h.sync();
        assertEquals(1.0, received(0).get("passes_succeeded"), "the next pass's metrics arrive");
    }
}
