package ocivaultsync.fn;

import ocivaultsync.emulator.EmulatorFixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import ocivaultsync.function.EmulatorResource;
import org.junit.jupiter.api.Test;

/**
 * The Fn http-stream contract (oci-functions.md §1, §8), spoken over a real unix socket to the running application:
 * the socket ritual, the wire statuses (only 200, 502, 504), API Gateway wrapping, chunked bodies, and one keep-alive
 * connection for every call.
 */
@QuarkusTest
@TestProfile(FnContractTest.FnListener.class)
@QuarkusTestResource(value = FnContractTest.WithWebhookSync.class, restrictToAnnotatedClass = true)
class FnContractTest {

    static final Path DIR = createDir();
    static final Path LINK = DIR.resolve("lsnr.sock");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path createDir() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "fn");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the application as OCI Functions does: with FN_LISTENER (read as fn.listener). */
    public static class FnListener implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fn.listener", "unix:" + LINK, "fn.format", "http-stream");
        }
    }

    /** The standard test configuration plus an Infisical sync with a webhook key. */
    public static class WithWebhookSync extends EmulatorResource {
        @Override
        protected String extraSyncs() {
            return """
                      - name: hooked
                        source:
                          type: infisical
                          url: http://127.0.0.1:9
                          projectId: proj-1
                          environment: prod
                          auth: {clientId: id, clientSecret: {value: s}}
                          webhookSigningKey: {value: webhook-key-0123456789}
                        destination: DESTINATION
                        options: {keySchema: "hooked-{{secretKey}}"}
                    """.replace("DESTINATION", EmulatorFixture.DESTINATION);
        }
    }

    static Map<String, String> fnHeaders(String callId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Fn-Call-Id", callId);
        h.put("Fn-Deadline", Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString());
        h.put("Fn-Invoke-Type", "sync");
        return h;
    }

    @Test
    void theSocketIsARelativeSymlinkToAWorldWritableSocket() throws Exception {
        awaitSocket();
        assertTrue(Files.isSymbolicLink(LINK));
        Path target = Files.readSymbolicLink(LINK);
        assertEquals(1, target.getNameCount(), "relative, within the socket's folder: " + target);
        Path real = DIR.resolve(target);
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(real,
                LinkOption.NOFOLLOW_LINKS)).substring(0, 9));
        assertTrue((Integer) Files.getAttribute(real, "unix:mode") >= 0140000, "a socket file");
    }

    @Test
    void everyCallOnOneKeepAliveConnectionGetsAnAnswerTheAgentAccepts() throws Exception {
        awaitSocket();
        try (UnixHttp fn = new UnixHttp(LINK)) {
            UnixHttp.Response ok = fn.post("/call", fnHeaders("call-1"), "{\"trigger\":\"schedule\",\"sync\":\"app\"}",
                    false);
            assertEquals(200, ok.status(), ok.body());
            assertEquals(FnCallRoute.FDK_VERSION, ok.headers().get("fn-fdk-version"));
            JsonNode report = JSON.readTree(ok.body());
            assertEquals("schedule", report.get("trigger").asText());
            assertEquals("SUCCEEDED", report.get("syncs").get(0).get("status").asText());

            UnixHttp.Response badJson = fn.post("/call", fnHeaders("call-2"), "{\"trigger\":", false);
            assertEquals(502, badJson.status());
            assertEquals("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"the body is not valid JSON for this "
                    + "function\"}}", badJson.body());

            UnixHttp.Response unknown = fn.post("/call", fnHeaders("call-3"),
                    "{\"trigger\":\"schedule\",\"sync\":\"nope\"}", false);
            assertEquals(502, unknown.status());
            assertEquals("UNKNOWN_SYNC", JSON.readTree(unknown.body()).path("error").path("code").asText());

            Map<String, String> gw = fnHeaders("call-4");
            gw.put("Fn-Intent", "httprequest");
            gw.put("Fn-Http-Method", "POST");
            gw.put("Fn-Http-Request-Url", "/v1/event?from=infisical");
            gw.put("Fn-Http-H-X-Infisical-Signature", "t=" + System.currentTimeMillis() + ";" + "ab".repeat(32));
            String webhook = "{\"event\":\"secrets.modified\",\"project\":{\"projectId\":\"proj-1\","
                    + "\"environment\":\"prod\",\"secretPath\":\"/\"},\"timestamp\":" + System.currentTimeMillis() + "}";
            UnixHttp.Response hook = fn.post("/call", gw, webhook, true);
            assertEquals(200, hook.status(), "API Gateway calls answer 200 on the wire");
            assertEquals("400", hook.headers().get("fn-http-status"));
            JsonNode err = JSON.readTree(hook.body()).path("error");
            assertEquals("BAD_SIGNATURE", err.path("code").asText(), "the unwrapped signature header was seen");
            assertFalse(err.path("message").asText().contains("missing"));

            Map<String, String> notAllowed = fnHeaders("call-5");
            notAllowed.put("Fn-Intent", "httprequest");
            notAllowed.put("Fn-Http-Request-Url", "/v1/sync");
            UnixHttp.Response refused = fn.post("/call", notAllowed, "{}", false);
            assertEquals(200, refused.status());
            assertEquals("403", refused.headers().get("fn-http-status"));
            assertEquals("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"function sync is not reachable "
                    + "through API Gateway\"}}", refused.body());

            UnixHttp.Response manual = fn.post("/call", fnHeaders("call-5b"), "{\"function\":\"plan\",\"sync\":\"app\"}",
                    false);
            assertEquals(200, manual.status(), manual.body());
            assertTrue(JSON.readTree(manual.body()).path("dryRun").asBoolean(), "an invocation may name plan");

            Map<String, String> sneaky = fnHeaders("call-5c");
            sneaky.put("Fn-Intent", "httprequest");
            sneaky.put("Fn-Http-Request-Url", "/v1/event");
            UnixHttp.Response viaGateway = fn.post("/call", sneaky, "{\"function\":\"remove\",\"sync\":\"app\"}",
                    false);
            assertEquals("400", viaGateway.headers().get("fn-http-status"), "the internet cannot name a function");

            Map<String, String> forged = fnHeaders("call-5d");
            forged.put("Fn-Intent", "httprequest");
            forged.put("Fn-Http-Request-Url", "/v1/event");
            UnixHttp.Response schedule = fn.post("/call", forged, "{\"trigger\":\"schedule\",\"force\":true}", false);
            assertEquals("400", schedule.headers().get("fn-http-status"));
            assertEquals("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"through API Gateway only signed "
                    + "Infisical webhooks are accepted\"}}", schedule.body());

            Map<String, String> late = fnHeaders("call-6");
            late.put("Fn-Deadline", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString());
            UnixHttp.Response timeout = fn.post("/call", late, "{\"trigger\":\"schedule\"}", false);
            assertEquals(504, timeout.status());

            UnixHttp.Response again = fn.post("/call", fnHeaders("call-7"), "{\"trigger\":\"schedule\",\"sync\":"
                    + "\"app\"}", true);
            assertEquals(200, again.status(), "the same connection still serves");
        }
        // The functions stay reachable directly for local runs.
        given().contentType("application/json").body("{}").post("/plan").then().statusCode(200);
    }

    private static void awaitSocket() throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(LINK); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(LINK), "the Fn socket appeared");
    }
}
