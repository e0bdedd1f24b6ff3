package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.Invocations;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.requeue.FunctionRequeuer;
import ocivaultsync.requeue.LocalRequeuer;
import ocivaultsync.requeue.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-enqueue end to end: a secret pending deletion comes back into the source; its deletion is cancelled, the write
 * waits for CANCELLING_DELETION to end, and the retries (detached self-invocations on OCI, a timer locally) finish it.
 */
class RequeueEndToEndTest {

    /** Every transition lasts a second and a half of wall time. */
    @RegisterExtension
    static final EmulatorExtension EMULATOR =
            new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(1500));

    static final String FUNCTION_ID = "ocid1.fnfunc.oc1.eu-frankfurt-1.aaaaaaaaself";
    static final ObjectMapper JSON = new ObjectMapper();
    static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(1), 8);

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
        h.handlers();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** A, B, C, K synced; then A left the source and is now PENDING_DELETION; then A comes back with a new value. */
    private void restoreScenario() {
        h.source(Map.of("A", "old", "B", "b", "C", "c", "K", "k")).sync();
        h.f.emulator.clock().advance(Duration.ofSeconds(2));
        h.source(Map.of("B", "b", "C", "c", "K", "k")).sync();
        h.f.emulator.clock().advance(Duration.ofSeconds(2));
        assertEquals("PENDING_DELETION", h.state("A"));
        h.source(Map.of("A", "new", "B", "b", "C", "c", "K", "k"));
    }

    @Test
    void onOciARetryIsADetachedSelfInvocationAndTheRestoredSecretEndsActiveWithTheNewValue() throws Exception {
        // No endpoint configured: it is looked up once through the Functions management API, as on OCI.
        h.runner().requeueWith(new FunctionRequeuer(h.clients, FUNCTION_ID,
                () -> FunctionRequeuer.lookUpInvokeEndpoint(h.clients, FUNCTION_ID)), FAST, Duration.ofSeconds(10));
        restoreScenario();
        SyncReport first = h.sync();
        assertEquals(List.of("A RESTORE DEFERRED"), lines(first));
        assertEquals(1, first.retry().attempt());
        assertEquals("CANCELLING_DELETION", h.stateNow("A"));

        SyncReport last = first;
        for (int delivered = 0; delivered < 6 && last.status() != SyncStatus.SUCCEEDED; delivered++) {
            List<Invocations.Invocation> all = h.f.emulator.invocations().all();
            Invocations.Invocation inv = all.get(all.size() - 1);
            assertEquals(FUNCTION_ID, inv.functionId());
            assertEquals("detached", inv.invokeType());
            JsonNode body = JSON.readTree(inv.body());
            assertEquals("app", body.path("retry").path("sync").asText());
            assertEquals(delivered + 1, body.path("retry").path("attempt").asInt());
            // The platform delivers the detached invocation: the function runs with its body.
            last = h.call("event", inv.body(), Map.of()).syncs().get(0);
        }
        assertEquals(SyncStatus.SUCCEEDED, last.status());
        assertEquals(List.of("A UPDATE DONE"), lines(last));
        h.f.emulator.clock().advance(Duration.ofSeconds(2)); // the update's own UPDATING transition
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("new", h.value("A"));
        assertTrue(h.f.emulator.invocations().all().size() >= 1);
        assertEquals(1L, h.f.emulator.calls().get("GetFunction"), "the endpoint is looked up once");
    }

    @Test
    void locallyAnInProcessTimerRetriesByItself() throws Exception {
        try (LocalRequeuer local = new LocalRequeuer(Clock.systemUTC(), m -> h.call("event",
                JSON.valueToTree(m.toJson()).toString(), Map.of()))) {
            h.runner().requeueWith(local, FAST, Duration.ofSeconds(10));
            restoreScenario();
            assertEquals(List.of("A RESTORE DEFERRED"), lines(h.sync()));
            long until = System.currentTimeMillis() + 20_000;
            while (!"new".equals(h.value("A")) && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            assertEquals("new", h.value("A"));
            assertEquals(0, h.f.emulator.invocations().all().size(), "no function invocation locally");
        }
    }
}
