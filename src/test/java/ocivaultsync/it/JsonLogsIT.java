package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatedVault;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as it runs in production (prod profile: JSON logs on stdout, Quarkus's own MDC): a sync
 * made to fail, then to recover. Every line its runs print carries the run's {@code runId}, {@code sync} and
 * {@code trigger}; the README's OCI Logging search for a sync's failures (a match on {@code "sync":"<name>"} and
 * {@code "status":"FAILED"} in {@code data.message}) finds the failure; the metrics of both passes reach Monitoring
 * (the standalone emulator's) with their dimensions.
 */
class JsonLogsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
    static final String USER = "ocid1.user.oc1..logstest";

    @Test
    void everyLineOfARunStandsAloneAndTheFailuresAreFoundByTheReadmesSearch() throws Exception {
        Path dir = Files.createTempDirectory("ovs-logs");
        ApiKeys.ApiKey key = ApiKeys.generate();
        Files.writeString(dir.resolve("key.pem"), key.privateKeyPem());
        Files.writeString(dir.resolve("pub.pem"), key.publicKeyPem());
        int emulatorPort = Processes.freePort();
        Process emulator = Processes.emulator(emulatorPort, List.of("--trust-key-id", key.keyId(TENANCY, USER),
                "--trust-public-key", dir.resolve("pub.pem").toString()));
        String e = "http://127.0.0.1:" + emulatorPort;
        Path log = dir.resolve("app.log");
        Process app = null;
        try {
            Files.writeString(dir.resolve("secrets.yaml"), "DB_PASS: logs-canary-value\n");
            Files.writeString(dir.resolve("ovs.yaml"), ConfigBuilder.withFingerprintKey(
                    "logs-test-fingerprint-key-0123456789").sync("payments", s -> s.fileSource(dir.resolve(
                            "secrets.yaml")).destination(EmulatedVault.Identity.defaults())
                            .manageEverySecretInVault(true)).yaml());
            Map<String, String> props = new HashMap<>(Map.of("ovs.config-file", dir.resolve("ovs.yaml").toString(),
                    "ovs.allow-inline-secrets", "true", "ovs.oci.auth", "api-key",
                    "ovs.oci.api-key.tenancy-id", TENANCY, "ovs.oci.api-key.user-id", USER,
                    "ovs.oci.api-key.private-key-file", dir.resolve("key.pem").toString(),
                    "ovs.oci.api-key.region", "eu-frankfurt-1", "ovs.requeue.mode", "off"));
            props.putAll(Map.of("ovs.oci.vaults-endpoint", e, "ovs.oci.secrets-endpoint", e,
                    "ovs.oci.functions-endpoint", e, "ovs.oci.monitoring-endpoint", e));
            int port = Processes.freePort();
            app = Processes.application(port, props, log);
            // A first call builds the functions (their one-off lines are the container's, not a run's).
            String plan = JSON.readTree(Processes.post(port, "/plan", "{}").body()).path("runId").asText();
            int before = 0;
            for (int i = 0; i < 200 && before == 0; i++) { // stdout reaches the file a little after the answer
                List<String> now = lines(log);
                if (now.stream().anyMatch(l -> l.contains("\"message\":\"run " + plan))) {
                    before = now.size();
                }
                Thread.sleep(25);
            }
            assertTrue(before > 0, "the plan's run line was printed");

            // Every attempt of the list fails (the SDK makes 3): the pass cannot start.
            Processes.post(emulatorPort, "/_emulator/faults", "{\"operation\":\"ListSecrets\",\"status\":500,"
                    + "\"count\":3}");
            JsonNode failed = JSON.readTree(Processes.post(port, "/sync", "{}").body());
            assertEquals("FAILED", failed.path("syncs").get(0).path("status").asText(), failed.toString());
            JsonNode recovered = JSON.readTree(Processes.post(port, "/sync", "{}").body());
            assertEquals("SUCCEEDED", recovered.path("syncs").get(0).path("status").asText(), recovered.toString());

            JsonNode metrics = JSON.createArrayNode();
            for (int i = 0; i < 200 && metrics.size() < 15; i++) {
                Thread.sleep(50);
                metrics = JSON.readTree(Processes.get(e + "/_emulator/metrics").body());
            }
            assertEquals(15, metrics.size(), "two passes, seven and eight metrics: the first could not list its vault, "
                    + "so it knows no consecutive_failures: " + metrics);
            assertEquals("passes_failed", metrics.get(0).path("name").asText());
            assertEquals("passes_succeeded", metrics.get(7).path("name").asText());
            assertEquals("consecutive_failures", metrics.get(8).path("name").asText());
            for (JsonNode m : metrics) {
                assertEquals("ocivaultsync", m.path("namespace").asText());
                assertEquals(Map.of("sync", "payments", "trigger", "manual"), JSON.convertValue(m.path("dimensions"),
                        Map.class));
            }

            String last = recovered.path("runId").asText();
            for (int i = 0; i < 200 && lines(log).stream().noneMatch(l -> l.contains("\"message\":\"run " + last));
                    i++) {
                Thread.sleep(25);
            }
            List<String> all = lines(log);
            List<String> runLines = all.subList(before, all.size());
            List<String> runIds = List.of(failed.path("runId").asText(), recovered.path("runId").asText());
            List<JsonNode> parsed = new ArrayList<>();
            for (String line : runLines) {
                JsonNode l = JSON.readTree(line); // every line is JSON
                parsed.add(l);
                JsonNode mdc = l.path("mdc");
                assertTrue(runIds.contains(mdc.path("runId").asText()), "names its run: " + line);
                assertEquals("manual", mdc.path("trigger").asText(), line);
                if (!l.path("message").asText().startsWith("run ")) {
                    assertEquals("payments", mdc.path("sync").asText(), line);
                }
                assertFalse(line.contains("logs-canary-value"), line);
            }
            assertTrue(parsed.stream().anyMatch(l -> l.path("message").asText().startsWith("secret DB_PASS CREATE "
                    + "DONE")), runLines.toString());
            // The README's search: data.message = '*"sync":"payments"*' and data.message = '*"status":"FAILED"*'
            List<String> found = runLines.stream().filter(l -> l.contains("\"sync\":\"payments\"")
                    && l.contains("\"status\":\"FAILED\"")).toList();
            assertEquals(1, found.size(), runLines.toString());
            assertTrue(JSON.readTree(found.get(0)).path("message").asText().startsWith("sync payments FAILED "),
                    found.get(0));
            assertTrue(found.get(0).contains("error=destination: cannot list the vault's secrets"), found.get(0));
        } finally {
            if (app != null) {
                app.destroy();
                app.waitFor(10, TimeUnit.SECONDS);
            }
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The lines printed so far that are log records (JSON objects). */
    static List<String> lines(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).toList();
    }
}
