package ocivaultsync.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ocivaultsync.metrics.MetricsPublisher;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP interface of README, 'Calling it' as callers see it: status codes and exact JSON. */
@QuarkusTest
@QuarkusTestResource(value = EmulatorResource.class, restrictToAnnotatedClass = true)
class FunctionsHttpTest {

    @ConfigProperty(name = "test.ovs.emulator-url")
    String emulator;

    @ConfigProperty(name = "test.ovs.config-file")
    String configFile;

    @ConfigProperty(name = "test.ovs.secrets-file")
    String secretsFile;

    /** The container's publisher: a test waits for the metrics of earlier tests before it resets the emulator. */
    @Inject
    MetricsPublisher metrics;

    @BeforeEach
    void reset() throws Exception {
        assertTrue(metrics.drain(Duration.ofSeconds(30)));
        given().post(emulator + "/_emulator/reset").then().statusCode(200);
        Files.writeString(Path.of(secretsFile), "DB_PASS: hunter2-canary\nAPI_KEY: api-canary\n");
        Files.writeString(Path.of(configFile), EmulatorResource.config(Path.of(secretsFile)).yaml());
    }

    @Test
    void planShowsWhatSyncThenDoes() {
        asOperator().body("{\"sync\":\"app\"}").post("/plan").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("trigger", equalTo("manual"))
                .body("syncs[0].name", equalTo("app")).body("syncs[0].status", equalTo("SUCCEEDED"))
                .body("syncs[0].counts.create", equalTo(2))
                .body("syncs[0].results.status", equalTo(List.of("PLANNED", "PLANNED")));
        given().get(emulator + "/_emulator/secrets").then().body("$", hasSize(0));

        asOperator().body("{\"sync\":\"app\"}").post("/sync").then().statusCode(200)
                .body("dryRun", equalTo(false)).body("syncs[0].results.name", equalTo(List.of("API_KEY", "DB_PASS")))
                .body("syncs[0].results.status", equalTo(List.of("DONE", "DONE")))
                .body("syncs[0].ociCalls.write", equalTo(4));
        given().get(emulator + "/_emulator/secrets").then().body("name",
                org.hamcrest.Matchers.containsInAnyOrder("API_KEY", "DB_PASS", "ovs-state-app"));
    }

    /** {@code POST /status} (README, "Calling it"): the dev-mode walkthrough's second call. */
    @Test
    void statusAnswersEverySyncFromOneListingAndRefusesWhatItDoesNotTake() throws Exception {
        asOperator().body("{\"sync\":\"app\"}").post("/sync").then().statusCode(200);
        assertTrue(metrics.drain(Duration.ofSeconds(30)));
        given().delete(emulator + "/_emulator/calls").then().statusCode(200);
        given().contentType(ContentType.JSON).post("/status").then().statusCode(200)
                .body("syncs.name", equalTo(List.of("app", "manual-only")))
                .body("syncs[0].mode", equalTo("active")).body("syncs[0].outcome", equalTo("SUCCEEDED"))
                .body("syncs[0].consecutiveFailures", equalTo(0)).body("syncs[0].initialRunComplete", equalTo(true))
                .body("syncs[0].operation", equalTo("sync")).body("syncs[0].stateSecret", equalTo("ovs-state-app"))
                .body("syncs[1].outcome", org.hamcrest.Matchers.nullValue())
                .body("syncs[1].autoSync", equalTo(false));
        given().get(emulator + "/_emulator/calls").then().body("ListSecrets", equalTo(1))
                .body("GetSecret", equalTo(null)).body("UpdateSecret", equalTo(null));
        given().contentType(ContentType.JSON).body("{\"sync\":\"manual-only\"}").post("/status").then()
                .statusCode(200).body("syncs.name", equalTo(List.of("manual-only")));
        assertError("{\"sync\":\"nope\"}", "/status", "UNKNOWN_SYNC",
                "sync nope is not in the configuration (known: app, manual-only)");
        assertError("{\"verify\":\"deep\"}", "/status", "INVALID_REQUEST", "verify: unknown field (status takes sync)");
    }

    @Test
    void allSyncsRunWhenNoneIsNamedAndAnEmptyBodyIsFine() {
        asOperator().post("/sync").then().statusCode(200)
                .body("syncs.name", equalTo(List.of("app", "manual-only")))
                .body("syncs.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED")));
    }

    @Test
    void badRequestsAreRefusedWithTheirReasonAndNothingIsWritten() {
        assertError("{\"dryrun\":true}", "/sync", "INVALID_REQUEST",
                "dryrun: unknown field (sync takes dryRun, force, sync, verbose, verify)");
        assertError("{\"force\":true}", "/plan", "INVALID_REQUEST",
                "force: unknown field (plan takes sync, verbose, verify)");
        assertError("{\"verify\":\"deeper\"}", "/sync", "INVALID_REQUEST", "verify: must be fast or deep");
        assertError("{\"dryRun\":\"yes\"}", "/sync", "INVALID_REQUEST", "dryRun: must be true or false");
        assertError("{\"sync\":\"nope\"}", "/sync", "UNKNOWN_SYNC",
                "sync nope is not in the configuration (known: app, manual-only)");
        assertError("[1,2]", "/sync", "INVALID_REQUEST", "the body must be a JSON object");
        assertError("{\"sync\":", "/sync", "INVALID_REQUEST", "the body is not valid JSON for this function");
        // Over 64 KB, and not even valid JSON: refused for its size before Funqy would parse it.
        assertError("{\"sync\":\"app\",\"pad\":\"" + "x".repeat(70_000), "/sync", "INVALID_REQUEST",
                "the body is over 65536 bytes (64 KB), more than any call takes; it was not read");
        given().get(emulator + "/_emulator/calls").then().body("CreateSecret", equalTo(null));
        given().get(emulator + "/_emulator/secrets").then().body("$", hasSize(0));
    }

    @Test
    void anInvalidConfigurationAnswersInvalidConfig() throws Exception {
        Files.writeString(Path.of(configFile), "fingerprintKey: {value: quarkus-test-fingerprint-key-0123456789}\n"
                + "syncs:\n  - name: Bad_Name\n");
        asOperator().body("{}").post("/sync").then().statusCode(400)
                .body("error.code", equalTo("INVALID_CONFIG"))
                .body("error.message", equalTo("syncs[0].name: must be a slug of lower-case letters, digits and "
                        + "single hyphens, at most 64 characters; syncs[0].source: is required; "
                        + "syncs[0].destination: is required; syncs[0].options.keySchema: is not set, so the names "
                        + "are the source keys and every secret of the destination vault fits: the sync would adopt, "
                        + "overwrite and delete secrets it did not create; give it a literal part, such as "
                        + "\"app-{{secretKey}}\", or set options.manageEverySecretInVault: true to manage every secret "
                        + "of the vault"));
    }

    @Test
    void theResponseNeverCarriesAValue() {
        String body = asOperator().body("{\"verbose\":true}").post("/sync").then()
                .statusCode(200).extract().asString();
        for (String canary : List.of("hunter2-canary", "api-canary", "aHVudGVyMi1jYW5hcnk=")) {
            assertEquals(-1, body.indexOf(canary), canary);
        }
    }

    /**
     * The container's own wiring posts each pass's metrics (README, "Metrics, alerts and logs") to the Monitoring endpoint it
     * is given (here the emulator's), in the background: they arrive after the answer, so the test waits for the
     * publisher to have posted them.
     */
    @Test
    void eachPassPostsItsMetricsAndAPlanPostsNone() throws Exception {
        asOperator().body("{\"sync\":\"app\"}").post("/plan").then().statusCode(200);
        asOperator().body("{\"sync\":\"app\"}").post("/sync").then().statusCode(200);
        assertTrue(this.metrics.drain(Duration.ofSeconds(30)));
        List<Map<String, Object>> metrics = given().get(emulator + "/_emulator/metrics").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(List.of("passes_succeeded", "consecutive_failures", "secrets_created", "secrets_updated",
                "secrets_deleted", "secrets_failed", "pass_duration_ms", "vault_calls"),
                metrics.stream().map(m -> m.get("name")).toList());
        for (Map<String, Object> m : metrics) {
            assertEquals("ocivaultsync", m.get("namespace"));
            assertEquals(Map.of("sync", "app", "trigger", "manual"), m.get("dimensions"));
        }
        assertEquals(2.0, ((Number) ((Map<?, ?>) ((List<?>) metrics.get(2).get("datapoints")).get(0)).get("value"))
                .doubleValue(), "secrets_created");
    }

    /**
     * The HTTP transport runs the same check as the Fn one, on the headers the request carries: an operator function
     * is refused with 403 to a caller not listed, to one not named, and to one named twice; nothing is read or written.
     */
    @Test
    void onlyTheListedOperatorMayChangeIntentOverHttpToo() {
        String who = " is for the operators listed in ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS), and ";
        Map<String, Object> none = given().contentType(ContentType.JSON).body("{\"sync\":\"app\"}").post("/remove")
                .then().statusCode(403).extract().jsonPath().getMap("error");
        assertEquals(Map.of("code", "NOT_AUTHORIZED", "message", "remove" + who + "the call carries no "
                + "oci-subject-id header (the caller OCI Functions names)"), none);
        Map<String, Object> other = given().header("oci-subject-id", "ocid1.user.oc1..someoneelse")
                .contentType(ContentType.JSON).body("{\"sync\":\"app\",\"force\":true}").post("/sync").then()
                .statusCode(403).extract().jsonPath().getMap("error");
        assertEquals(Map.of("code", "NOT_AUTHORIZED", "message", "sync" + who + "the caller "
                + "ocid1.user.oc1..someoneelse is not one of them"), other);
        Map<String, Object> twice = given().header("oci-subject-id", "ocid1.user.oc1..someoneelse")
                .header("oci-subject-id", Harness.OPERATOR).contentType(ContentType.JSON).body("{}").post("/plan")
                .then().statusCode(403).extract().jsonPath().getMap("error");
        assertEquals(Map.of("code", "NOT_AUTHORIZED", "message", "plan" + who + "the call carries the oci-subject-id "
                + "header 2 times; a caller named more than once is not known"), twice);
        given().get(emulator + "/_emulator/calls").then().body("$", equalTo(Map.of()));
        given().get(emulator + "/_emulator/secrets").then().body("$", hasSize(0));
        // A schedule needs no one: it can only reconcile toward the recorded intent.
        given().contentType(ContentType.JSON).body("{\"trigger\":\"schedule\",\"sync\":\"app\"}").post("/event")
                .then().statusCode(200).body("syncs[0].status", equalTo("SUCCEEDED"));
    }

    /** A request from the tests' operator ({@code %test.ovs.operator-principal-ids}). */
    private static io.restassured.specification.RequestSpecification asOperator() {
        return given().header("oci-subject-id", Harness.OPERATOR).contentType(ContentType.JSON);
    }

    private static void assertError(String body, String path, String code, String message) {
        Map<String, Object> error = asOperator()
                .body(body).post(path).then().statusCode(400).contentType(ContentType.JSON).extract().jsonPath()
                .getMap("error");
        assertEquals(Map.of("code", code, "message", message), error);
    }
}
