package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatedVault;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed with SIGKILL in the middle of a pass, then started again: the next passes must
 * finish the work with no duplicate and no lost or foreign secret touched.
 */
class CrashRecoveryIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
    static final String USER = "ocid1.user.oc1..crashtest";

    static int creates(String emulator) throws Exception {
        return JSON.readTree(Processes.get(emulator + "/_emulator/calls").body()).path("CreateSecret").asInt(0);
    }

    @Test
    void aPassKilledMidwayIsFinishedByTheNextOnes() throws Exception {
        Path dir = Files.createTempDirectory("ovs-crash");
        ApiKeys.ApiKey key = ApiKeys.generate();
        Files.writeString(dir.resolve("key.pem"), key.privateKeyPem());
        Files.writeString(dir.resolve("pub.pem"), key.publicKeyPem());
        int emulatorPort = Processes.freePort();
        Process emulator = Processes.emulator(emulatorPort, List.of("--latency-ms", "40", "--trust-key-id",
                key.keyId(TENANCY, USER), "--trust-public-key", dir.resolve("pub.pem").toString()));
        String e = "http://127.0.0.1:" + emulatorPort;
        try {
            Processes.post(emulatorPort, "/_emulator/secrets", "{\"name\":\"crash-FOREIGN\",\"content\":\"eA==\","
                    + "\"freeformTags\":{\"ovs_sync\":\"other\"}}");
            Map<String, String> source = new LinkedHashMap<>();
            StringBuilder yaml = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                source.put("K" + i, "crash-value-" + i);
                yaml.append("K").append(i).append(": crash-value-").append(i).append('\n');
            }
            Files.writeString(dir.resolve("secrets.yaml"), yaml.toString());
            Files.writeString(dir.resolve("ovs.yaml"), ConfigBuilder.withFingerprintKey(
                    "crash-test-fingerprint-key-0123456789").sync("crash", s -> s.fileSource(dir.resolve("secrets.yaml"))
                    .destination(EmulatedVault.Identity.defaults()).keySchema("crash-{{secretKey}}")).yaml());
            Map<String, String> props = new HashMap<>(Map.of("ovs.config-file", dir.resolve("ovs.yaml").toString(),
                    "ovs.allow-inline-secrets", "true", "ovs.oci.auth", "api-key",
                    "ovs.oci.api-key.tenancy-id", TENANCY, "ovs.oci.api-key.user-id", USER,
                    "ovs.oci.api-key.private-key-file", dir.resolve("key.pem").toString(),
                    "ovs.oci.api-key.region", "eu-frankfurt-1"));
            props.putAll(Map.of("ovs.oci.vaults-endpoint", e, "ovs.oci.secrets-endpoint", e,
                    "ovs.oci.functions-endpoint", e, "ovs.oci.monitoring-endpoint", e, "ovs.requeue.mode", "off"));

            int kills = 0;
            for (int killAt : List.of(30, 80)) {
                int port = Processes.freePort();
                Process app = Processes.application(port, props, dir.resolve("app-" + kills + ".log"));
                Processes.HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sync"))
                        .header("content-type", "application/json").header("oci-subject-id", Processes.OPERATOR)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                long until = System.currentTimeMillis() + 60_000;
                while (creates(e) < killAt && System.currentTimeMillis() < until) {
                    Thread.sleep(10);
                }
                app.destroyForcibly(); // SIGKILL, mid-pass: no shutdown hook, no cleanup
                assertTrue(app.waitFor(10, TimeUnit.SECONDS));
                kills++;
            }
            Thread.sleep(500); // calls already in flight when the process died still land (the emulator's latency)
            int created = (int) values(JSON.readTree(Processes.get(e + "/_emulator/secrets").body())).size() - 1;
            assertTrue(created > 0 && created < 150, "the kills left a partial pass (" + created + " created)");

            int port = Processes.freePort();
            Process app = Processes.application(port, props, dir.resolve("app-final.log"));
            try {
                JsonNode first = JSON.readTree(Processes.post(port, "/sync", "{}").body()).path("syncs").get(0);
                assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
                assertEquals(150 - created, first.path("counts").path("create").asInt(), "it finishes the rest");
                JsonNode steady = JSON.readTree(Processes.post(port, "/sync", "{}").body()).path("syncs").get(0);
                assertEquals(150, steady.path("counts").path("none").asInt());
            } finally {
                app.destroy();
                app.waitFor(10, TimeUnit.SECONDS);
            }
            List<JsonNode> secrets = values(JSON.readTree(Processes.get(e + "/_emulator/secrets").body()));
            assertEquals(151, secrets.size(), "150 secrets and the foreign one, no duplicate");
            for (JsonNode s : secrets) {
                String name = s.path("name").asText();
                String value = new String(Base64.getDecoder().decode(s.path("content").asText()),
                        StandardCharsets.UTF_8);
                if (name.equals("crash-FOREIGN")) {
                    assertEquals("x", value);
                    assertEquals("other", s.path("freeformTags").path("ovs_sync").asText());
                } else {
                    assertEquals(source.get(name.substring("crash-".length())), value, name);
                    assertEquals("crash", s.path("freeformTags").path("ovs_sync").asText());
                    assertEquals(1, s.path("versionCount").asInt(), name + " was written once");
                }
            }
            System.out.printf("crash recovery: %d SIGKILLs mid-pass, %d of 150 created before them, converged%n",
                    kills, created);
        } finally {
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The secrets that hold values: not the sync's state secret (its record of the manual syncs). */
    static List<JsonNode> values(JsonNode secrets) {
        List<JsonNode> out = new java.util.ArrayList<>();
        secrets.forEach(s -> {
            if (!s.path("name").asText().startsWith("ovs-state-")) {
                out.add(s);
            }
        });
        return out;
    }
}
