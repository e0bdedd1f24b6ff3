package ocivaultsync.fn;

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
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.e2e.EmulatorResource;
import ocivaultsync.e2e.Harness;
import ocivaultsync.e2e.InfisicalWebhooks;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The Fn http-stream contract (docs/ARCHITECTURE.md, 'Triggers: how each one reaches the function'), spoken over a real
 * unix socket to the running application: the socket ritual, the wire statuses (only 200, 502, 504), API Gateway
 * wrapping, chunked bodies, and one keep-alive connection for every call.
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

    static final String WEBHOOK_KEY = "webhook-key-0123456789abcdef-0123456";
    static volatile String webhookKeySecretId;

    /**
     * The standard test configuration plus an Infisical sync whose webhook key is a vault secret, named to the
     * gateway by {@code ovs.webhook-key-secret-ids} as Terraform does.
     */
    public static class WithWebhookSync extends EmulatorResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> settings = new LinkedHashMap<>(super.start());
            settings.put("ovs.webhook-key-secret-ids", webhookKeySecretId);
            // The emulator has one vault, which the syncs write to and which holds the key: accepted explicitly.
            settings.put("ovs.allow-shared-vault", "true");
            return settings;
        }

        @Override
        protected ConfigBuilder extraSyncs(ConfigBuilder config) {
            webhookKeySecretId = fixture().vaults().createSecret(CreateSecretRequest.builder()
                    .createSecretDetails(CreateSecretDetails.builder().compartmentId(fixture().compartmentId())
                            .vaultId(fixture().vaultId()).keyId(fixture().keyId()).secretName("ovs-webhook-key")
                            .secretContent(Base64SecretContentDetails.builder().content(Base64.getEncoder()
                                    .encodeToString(WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8))).build())
                            .build()).build()).getSecret().getId();
            return config.sync("hooked", s -> s.infisicalSource("http://127.0.0.1:9", "proj-1", "prod")
                    .auth("id", "s").webhookSigningKeySecret(webhookKeySecretId).keySchema("hooked-{{secretKey}}"));
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

            UnixHttp.Response big = fn.post("/call", fnHeaders("call-2b"), "{\"trigger\":\"schedule\",\"pad\":\""
                    + "x".repeat(70_000) + "\"}", true);
            assertEquals(502, big.status());
            assertEquals("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"the body is over 65536 bytes (64 KB), more "
                    + "than any call takes; it was not read\"}}", big.body());

            UnixHttp.Response unknown = fn.post("/call", fnHeaders("call-3"),
                    "{\"trigger\":\"schedule\",\"sync\":\"nope\"}", false);
            assertEquals(502, unknown.status());
            assertEquals("UNKNOWN_SYNC", JSON.readTree(unknown.body()).path("error").path("code").asText());

            Map<String, String> gw = gateway("call-4");
            gw.put("Fn-Http-H-X-Infisical-Signature", "t=" + System.currentTimeMillis() + ";" + "ab".repeat(32));
            String webhook = InfisicalWebhooks.body("proj-1", "/", System.currentTimeMillis());
            UnixHttp.Response hook = fn.post("/call", gw, webhook, true);
            assertEquals(200, hook.status(), "API Gateway calls answer 200 on the wire");
            assertEquals("401", hook.headers().get("fn-http-status"));
            assertEquals(REFUSAL, hook.body(), "the unwrapped signature header was seen, and did not verify");

            Map<String, String> operator = fnHeaders("call-5b");
            operator.put("Oci-Subject-Id", Harness.OPERATOR);
            UnixHttp.Response manual = fn.post("/call", operator, "{\"function\":\"plan\",\"sync\":\"app\"}", false);
            assertEquals(200, manual.status(), manual.body());
            assertTrue(JSON.readTree(manual.body()).path("dryRun").asBoolean(), "an invocation may name plan");

            Map<String, String> late = fnHeaders("call-6");
            late.put("Fn-Deadline", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString());
            UnixHttp.Response timeout = fn.post("/call", late, "{\"trigger\":\"schedule\"}", false);
            assertEquals(504, timeout.status());

            UnixHttp.Response again = fn.post("/call", fnHeaders("call-7"), "{\"trigger\":\"schedule\",\"sync\":"
                    + "\"app\"}", true);
            assertEquals(200, again.status(), "the same connection still serves");
        }
        // The functions stay reachable directly for local runs.
        given().header("oci-subject-id", Harness.OPERATOR).contentType("application/json").body("{}").post("/plan")
                .then().statusCode(200);
    }

    static final String REFUSAL = "{\"error\":{\"code\":\"BAD_SIGNATURE\",\"message\":\"the request is not a "
            + "verified Infisical webhook\"}}";

    static Map<String, String> gateway(String callId) {
        Map<String, String> h = fnHeaders(callId);
        h.put("Fn-Intent", "httprequest");
        h.put("Fn-Http-Method", "POST");
        h.put("Fn-Http-Request-Url", "/ovs/event?from=infisical");
        return h;
    }

    static Map<String, String> signedThroughGateway(String callId, String body, long ts, String key) {
        Map<String, String> h = gateway(callId);
        InfisicalWebhooks.signed(body, ts, key).forEach((k, v) -> h.put("Fn-Http-H-" + k, v));
        return h;
    }

    /** The container's publisher: the metrics of earlier passes are posted in the background. */
    @jakarta.inject.Inject
    ocivaultsync.metrics.MetricsPublisher metrics;

    /** Resets the emulator's call counts once earlier passes' metrics are posted, so only what follows counts. */
    void forgetCalls() throws Exception {
        assertTrue(metrics.drain(java.time.Duration.ofSeconds(30)), "earlier metrics posted");
        emulator("DELETE", "/_emulator/calls");
    }

    static String emulator(String method, String path) throws Exception {
        String base = ConfigProvider.getConfig().getValue("test.ovs.emulator-url", String.class);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /**
     * The attack of issue 11 and every other shape that is not a signed webhook, through the gateway: one refusal,
     * byte for byte, and not one OCI call (no configuration read, no key read, no sync run).
     */
    @Test
    void throughTheGatewayEveryNonWebhookShapeGetsTheSameRefusalAndCostsNoOciCall() throws Exception {
        awaitSocket();
        long now = System.currentTimeMillis();
        String mixed = "{\"event\": 1, \"project\": {}, \"eventType\": \"com.oraclecloud.vaultsecret.updatesecret\", "
                + "\"data\": {\"resourceId\": \"x\"}}";
        String ociEvent = "{\"eventType\":\"com.oraclecloud.vaultsecret.updatesecret\",\"cloudEventsVersion\":\"0.1\","
                + "\"data\":{\"resourceId\":\"x\"}}";
        String hook = InfisicalWebhooks.body("proj-1", "/", now);
        String noTimestamp = hook.replace(",\"timestamp\":" + now, "");
        String stale = InfisicalWebhooks.body("proj-1", "/", now - 6 * 60_000);
        Map<String, Map<String, String>> headersOf = new LinkedHashMap<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("the mixed body", mixed);
        bodies.put("the mixed body, signed", mixed);
        headersOf.put("the mixed body, signed", signedThroughGateway("m", mixed, now, WEBHOOK_KEY));
        bodies.put("an OCI event", ociEvent);
        bodies.put("a schedule with force", "{\"trigger\":\"schedule\",\"force\":true}");
        bodies.put("a retry", "{\"retry\":{\"sync\":\"app\",\"attempt\":1,\"notBefore\":\"2020-01-01T00:00:00Z\"}}");
        bodies.put("a function name", "{\"function\":\"remove\",\"sync\":\"app\"}");
        bodies.put("the status function's name", "{\"function\":\"status\"}");
        bodies.put("a status body to the status URL", "{}");
        Map<String, String> statusUrl = gateway("w");
        statusUrl.put("Fn-Http-Request-Url", "/ovs/status");
        headersOf.put("a status body to the status URL", statusUrl);
        bodies.put("an empty body", "");
        bodies.put("not JSON", "{\"event\":");
        bodies.put("an array", "[1]");
        bodies.put("a webhook without signature", hook);
        bodies.put("a webhook with a malformed signature", hook);
        Map<String, String> malformed = gateway("x");
        malformed.put("Fn-Http-H-X-Infisical-Signature", "t=1,v1=abc");
        headersOf.put("a webhook with a malformed signature", malformed);
        bodies.put("a webhook without a body timestamp", noTimestamp);
        headersOf.put("a webhook without a body timestamp", signedThroughGateway("n", noTimestamp, now, WEBHOOK_KEY));
        bodies.put("a stale webhook", stale);
        headersOf.put("a stale webhook", signedThroughGateway("s", stale, now - 6 * 60_000, WEBHOOK_KEY));
        bodies.put("a webhook whose header time is not the body's", hook);
        headersOf.put("a webhook whose header time is not the body's", signedThroughGateway("t", hook, now + 1,
                WEBHOOK_KEY));
        bodies.put("a webhook to another URL", hook);
        Map<String, String> otherUrl = signedThroughGateway("u", hook, now, WEBHOOK_KEY);
        otherUrl.put("Fn-Http-Request-Url", "/ovs/sync");
        headersOf.put("a webhook to another URL", otherUrl);
        String big = hook.replace("\"projectName\":\"p\"", "\"projectName\":\"" + "p".repeat(70_000) + "\"");
        bodies.put("a signed webhook over 64 KB", big);
        headersOf.put("a signed webhook over 64 KB", signedThroughGateway("b", big, now, WEBHOOK_KEY));
        bodies.put("a schedule with Fn-Http headers but no Fn-Intent", "{\"trigger\":\"schedule\"}");
        Map<String, String> noIntent = fnHeaders("v");
        noIntent.put("Fn-Http-Request-Url", "/ovs/event");
        noIntent.put("Fn-Intent", "cloudevent");
        headersOf.put("a schedule with Fn-Http headers but no Fn-Intent", noIntent);

        forgetCalls();
        try (UnixHttp fn = new UnixHttp(LINK)) {
            int i = 0;
            for (var e : bodies.entrySet()) {
                Map<String, String> h = headersOf.getOrDefault(e.getKey(), gateway("refuse-" + i++));
                UnixHttp.Response r = fn.post("/call", h, e.getValue(), i % 2 == 0);
                assertEquals(200, r.status(), e.getKey());
                assertEquals("401", r.headers().get("fn-http-status"), e.getKey());
                assertEquals(REFUSAL, r.body(), e.getKey());
            }
        }
        assertEquals("{}", emulator("GET", "/_emulator/calls"), "not one OCI call");
    }

    /**
     * Issue 19, item 1, over the Fn socket: what an automatic trigger sends can only reconcile, and what changes intent
     * is for the operators listed in {@code ovs.operator-principal-ids}, named by the {@code oci-subject-id} header OCI
     * Functions adds. Each refusal is exact, and not one OCI call is made, so nothing is read or written.
     */
    @Test
    void onlyAListedOperatorChangesIntentAndAnAutomaticBodyCannotAskForMore() throws Exception {
        awaitSocket();
        String notBefore = Instant.now().toString();
        String operatorOnly = "is for the operators listed in ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS)";
        Map<String, List<Map.Entry<String, String>>> headersOf = new LinkedHashMap<>();
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("a forged nudge asking for a forced remove", new String[] {"{\"retry\":{\"sync\":\"app\","
                + "\"attempt\":1,\"notBefore\":\"" + notBefore + "\",\"operation\":\"remove\",\"force\":true}}",
                "INVALID_REQUEST", "operation: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"});
        cases.put("a forged nudge naming the remove function", new String[] {"{\"function\":\"remove\",\"retry\":"
                + "{\"sync\":\"app\",\"attempt\":1,\"notBefore\":\"" + notBefore + "\"}}", "NOT_AUTHORIZED",
                "remove " + operatorOnly + ", and the call carries no oci-subject-id header (the caller OCI Functions "
                        + "names)"});
        cases.put("a schedule naming a function", new String[] {"{\"function\":\"remove\",\"sync\":\"app\"}",
                "NOT_AUTHORIZED", "remove " + operatorOnly + ", and the call carries no oci-subject-id header (the "
                        + "caller OCI Functions names)"});
        cases.put("a schedule asking for a forced sync", new String[] {"{\"function\":\"sync\",\"sync\":\"app\","
                + "\"force\":true}", "NOT_AUTHORIZED", "sync " + operatorOnly + ", and the call carries no "
                        + "oci-subject-id header (the caller OCI Functions names)"});
        cases.put("a schedule body with force", new String[] {"{\"trigger\":\"schedule\",\"force\":true}",
                "INVALID_REQUEST", "force: unknown field (a schedule body takes sync, trigger, verify)"});
        cases.put("a resource schedule naming a function", new String[] {"{\"function\":\"remove\",\"sync\":"
                + "\"app\"}", "NOT_AUTHORIZED", "remove " + operatorOnly + ", and the caller "
                        + "ocid1.resourceschedule.oc1.eu-frankfurt-1.aaaa is not one of them"});
        headersOf.put("a resource schedule naming a function", List.of(
                Map.entry("Oci-Subject-Type", "resource"),
                Map.entry("Oci-Subject-Id", "ocid1.resourceschedule.oc1.eu-frankfurt-1.aaaa")));
        cases.put("a manual remove from an unlisted user", new String[] {"{\"function\":\"remove\",\"sync\":"
                + "\"app\"}", "NOT_AUTHORIZED", "remove " + operatorOnly + ", and the caller "
                        + "ocid1.user.oc1..someoneelse is not one of them"});
        headersOf.put("a manual remove from an unlisted user", List.of(Map.entry("Oci-Subject-Type", "user"),
                Map.entry("Oci-Subject-Id", "ocid1.user.oc1..someoneelse")));
        cases.put("a plan from an unlisted user (it shows names)", new String[] {"{\"function\":\"plan\"}",
                "NOT_AUTHORIZED", "plan " + operatorOnly + ", and the caller ocid1.user.oc1..someoneelse is not one "
                        + "of them"});
        headersOf.put("a plan from an unlisted user (it shows names)", List.of(
                Map.entry("Oci-Subject-Id", "ocid1.user.oc1..someoneelse")));
        cases.put("a duplicated subject header (the operator's beside OCI's)", new String[] {"{\"function\":"
                + "\"remove\",\"sync\":\"app\"}", "NOT_AUTHORIZED", "remove " + operatorOnly + ", and the call "
                        + "carries the oci-subject-id header 2 times; a caller named more than once is not known"});
        headersOf.put("a duplicated subject header (the operator's beside OCI's)", List.of(
                Map.entry("Oci-Subject-Id", "ocid1.user.oc1..someoneelse"),
                Map.entry("oci-subject-id", Harness.OPERATOR)));
        cases.put("the operator's subject twice", new String[] {"{\"function\":\"import\",\"sync\":\"app\","
                + "\"behavior\":\"prioritize-destination\"}", "NOT_AUTHORIZED", "import " + operatorOnly + ", and "
                        + "the call carries the oci-subject-id header 2 times; a caller named more than once is not "
                        + "known"});
        headersOf.put("the operator's subject twice", List.of(Map.entry("Oci-Subject-Id", Harness.OPERATOR),
                Map.entry("Oci-Subject-Id", Harness.OPERATOR)));
        cases.put("an empty subject", new String[] {"{\"function\":\"sync\"}", "NOT_AUTHORIZED", "sync "
                + operatorOnly + ", and the call's oci-subject-id header is empty"});
        headersOf.put("an empty subject", List.of(Map.entry("Oci-Subject-Id", "")));
        cases.put("the operator, with a forged nudge asking for force", new String[] {"{\"retry\":{\"sync\":"
                + "\"app\",\"attempt\":0,\"notBefore\":\"" + notBefore + "\",\"force\":true}}", "INVALID_REQUEST",
                "force: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"});
        headersOf.put("the operator, with a forged nudge asking for force", List.of(
                Map.entry("Oci-Subject-Id", Harness.OPERATOR)));

        String before = emulator("GET", "/_emulator/secrets");
        forgetCalls();
        try (UnixHttp fn = new UnixHttp(LINK)) {
            int i = 0;
            for (var c : cases.entrySet()) {
                List<Map.Entry<String, String>> h = new java.util.ArrayList<>(fnHeaders("authz-" + i++).entrySet());
                h.addAll(headersOf.getOrDefault(c.getKey(), List.of()));
                UnixHttp.Response r = fn.post("/call", h, c.getValue()[0], i % 2 == 0);
                assertEquals(502, r.status(), c.getKey() + ": a refusal, by the Fn rules");
                assertEquals(JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", c.getValue()[1])
                        .put("message", c.getValue()[2])).toString(), r.body(), c.getKey());
            }
        }
        assertEquals("{}", emulator("GET", "/_emulator/calls"), "not one OCI call: nothing read, nothing written");
        assertEquals(before, emulator("GET", "/_emulator/secrets"), "the vault is as it was");
    }

    /**
     * {@code fn invoke} / {@code oci fn function invoke} with {@code {"function":"status"}}: every sync's status from
     * one listing of their vault, nothing read from a source, nothing written; a sync it does not know is refused as
     * the other functions refuse it.
     */
    @Test
    void anInvocationMayNameStatusWhichReadsOneListingAndWritesNothing() throws Exception {
        awaitSocket();
        try (UnixHttp fn = new UnixHttp(LINK)) {
            Map<String, String> asOperator = fnHeaders("status-0");
            asOperator.put("Oci-Subject-Id", Harness.OPERATOR);
            UnixHttp.Response ran = fn.post("/call", asOperator, "{\"function\":\"sync\",\"sync\":"
                    + "\"app\"}", false);
            assertEquals(200, ran.status(), ran.body());
            forgetCalls();
            UnixHttp.Response all = fn.post("/call", fnHeaders("status-1"), "{\"function\":\"status\"}", false);
            assertEquals(200, all.status(), all.body());
            JsonNode syncs = JSON.readTree(all.body()).path("syncs");
            List<String> names = new java.util.ArrayList<>();
            syncs.forEach(s -> names.add(s.path("name").asText()));
            assertEquals(List.of("app", "manual-only", "hooked"), names);
            assertEquals("SUCCEEDED", syncs.get(0).path("outcome").asText(), all.body());
            assertEquals(0, syncs.get(0).path("consecutiveFailures").asInt());
            assertEquals("ovs-state-app", syncs.get(0).path("stateSecret").asText());
            assertEquals("{\"ListSecrets\":1}", emulator("GET", "/_emulator/calls"), "one listing, for three syncs "
                    + "on one vault; no secret read, no write");

            UnixHttp.Response one = fn.post("/call", fnHeaders("status-2"), "{\"function\":\"status\",\"sync\":"
                    + "\"manual-only\"}", true);
            assertEquals(200, one.status(), one.body());
            assertEquals(1, JSON.readTree(one.body()).path("syncs").size());
            assertTrue(JSON.readTree(one.body()).path("syncs").get(0).path("outcome").isNull(), "never ran");

            UnixHttp.Response unknown = fn.post("/call", fnHeaders("status-3"), "{\"function\":\"status\",\"sync\":"
                    + "\"nope\"}", false);
            assertEquals(502, unknown.status());
            assertEquals("UNKNOWN_SYNC", JSON.readTree(unknown.body()).path("error").path("code").asText());
            UnixHttp.Response misspelt = fn.post("/call", fnHeaders("status-4"), "{\"function\":\"stats\"}", false);
            assertEquals(502, misspelt.status());
            assertEquals("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"function: must be one of sync, "
                    + "plan, import, remove, status\"}}", misspelt.body());
        }
    }

    /** A signed Infisical {@code test} ping runs nothing and answers 200; a signed change answers only statuses. */
    @Test
    void aVerifiedWebhookIsAcknowledgedWithNoNamesAndATestPingRunsNothing() throws Exception {
        awaitSocket();
        long now = System.currentTimeMillis();
        String ping = InfisicalWebhooks.body("proj-1", "/", now).replace("secrets.modified", "test");
        try (UnixHttp fn = new UnixHttp(LINK)) {
            forgetCalls();
            UnixHttp.Response r = fn.post("/call", signedThroughGateway("ping", ping, now, WEBHOOK_KEY), ping, true);
            assertEquals(200, r.status());
            assertEquals("200", r.headers().get("fn-http-status"), r.body());
            assertEquals("{\"syncs\":[]}", r.body());
            JsonNode calls = JSON.readTree(emulator("GET", "/_emulator/calls"));
            assertTrue(calls.path("GetSecretBundle").asInt() <= 2 && calls.size() <= 1,
                    "at most the signing key is read (CURRENT and PREVIOUS), nothing is listed or written: " + calls);

            UnixHttp.Response replay = fn.post("/call", signedThroughGateway("again", ping, now, WEBHOOK_KEY), ping,
                    false);
            assertEquals("401", replay.headers().get("fn-http-status"));
            assertEquals(REFUSAL, replay.body());

            String change = InfisicalWebhooks.body("proj-1", "/", now + 1);
            UnixHttp.Response ran = fn.post("/call", signedThroughGateway("change", change, now + 1, WEBHOOK_KEY),
                    change, false);
            assertEquals("200", ran.headers().get("fn-http-status"), ran.body());
            JsonNode ack = JSON.readTree(ran.body());
            assertEquals(List.of("runId", "syncs"), iterable(ack.fieldNames()));
            assertEquals("[{\"status\":\"FAILED\"}]", ack.get("syncs").toString(),
                    "Infisical is unreachable here; the ack says so and nothing more");
            assertFalse(ran.body().contains("hooked") || ran.body().contains("127.0.0.1"), ran.body());

            String elsewhere = InfisicalWebhooks.body("proj-9", "/", now + 2);
            UnixHttp.Response unknown = fn.post("/call", signedThroughGateway("u", elsewhere, now + 2, WEBHOOK_KEY),
                    elsewhere, false);
            assertEquals("200", unknown.headers().get("fn-http-status"), unknown.body());
            assertEquals("{\"syncs\":[]}", unknown.body(),
                    "verified, for a folder no sync reads (an imported one, say): acknowledged, nothing run");
        }
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void awaitSocket() throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(LINK); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(LINK), "the Fn socket appeared");
    }
}
