package ocivaultsync.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.run.RunRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one strict parser of every body: what each accepts, and the exact refusal of everything else. */
class BodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNudgeRoundTripsAndCarriesNothingButTheSyncTheAttemptTheTimeAndTheSecretsToCheck() throws Exception {
        Nudge n = new Nudge("app", 3, Instant.parse("2026-06-01T00:00:15Z"),
                Set.of("ocid1.vaultsecret.oc1..b", "ocid1.vaultsecret.oc1..a"));
        String wire = JSON.writeValueAsString(n.toJson());
        assertEquals("{\"retry\":{\"sync\":\"app\",\"attempt\":3,\"notBefore\":\"2026-06-01T00:00:15Z\","
                + "\"deepSecretIds\":[\"ocid1.vaultsecret.oc1..a\",\"ocid1.vaultsecret.oc1..b\"]}}", wire);
        assertEquals(n, Bodies.nudge(json(wire)));
        RunRequest r = RunRequest.of(n);
        assertEquals(Trigger.RETRY, r.trigger());
        assertEquals(Optional.empty(), r.operation(), "a nudge names no operation: the recorded intent decides");
        assertEquals(false, r.force());
    }

    static Stream<Arguments> refusals() {
        String at = ",\"attempt\":1,\"notBefore\":\"2026-06-01T00:00:15Z\"";
        return Stream.of(
                Arguments.of("a nudge naming an operation", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\",\"operation\":\"remove\"" + at + "}}",
                        "operation: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"),
                Arguments.of("a nudge asking for force", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\",\"force\":true" + at + "}}",
                        "force: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"),
                Arguments.of("a nudge beside another field", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\"" + at + "},\"function\":\"remove\"}",
                        "function: unknown field (a retry message takes retry)"),
                Arguments.of("a nudge with a bad attempt", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\",\"attempt\":-1,\"notBefore\":\"2026-06-01T00:00:15Z\"}}",
                        "retry.attempt: must be a whole number from 0"),
                Arguments.of("a nudge with a bad time", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\",\"attempt\":1,\"notBefore\":\"soon\"}}",
                        "retry.notBefore: must be an ISO-8601 instant"),
                Arguments.of("a nudge naming something else to check", (Function<JsonNode, Object>) Bodies::nudge,
                        "{\"retry\":{\"sync\":\"app\",\"deepSecretIds\":[\"../etc\"]" + at + "}}",
                        "retry.deepSecretIds: must be an array of secret OCIDs"),
                Arguments.of("a schedule asking for force", (Function<JsonNode, Object>) Bodies::schedule,
                        "{\"trigger\":\"schedule\",\"force\":true}",
                        "force: unknown field (a schedule body takes sync, trigger, verify)"),
                Arguments.of("a schedule naming a function", (Function<JsonNode, Object>) Bodies::schedule,
                        "{\"trigger\":\"schedule\",\"function\":\"remove\",\"sync\":\"app\"}",
                        "function: unknown field (a schedule body takes sync, trigger, verify)"),
                Arguments.of("a schedule that is not one", (Function<JsonNode, Object>) Bodies::schedule,
                        "{\"trigger\":\"hourly\"}", "trigger: must be schedule"),
                Arguments.of("a sync with a typo", (Function<JsonNode, Object>) b -> Bodies.sync(b, false),
                        "{\"dryrun\":true}", "dryrun: unknown field (sync takes dryRun, force, sync, verbose, verify)"),
                Arguments.of("a plan asking for force", (Function<JsonNode, Object>) b -> Bodies.sync(b, true),
                        "{\"force\":true}", "force: unknown field (plan takes sync, verbose, verify)"),
                Arguments.of("an import without a behaviour", (Function<JsonNode, Object>) Bodies::importing,
                        "{\"sync\":\"app\"}", "behavior: is required"),
                Arguments.of("a remove of all syncs", (Function<JsonNode, Object>) Bodies::remove,
                        "{}", "sync: is required"),
                Arguments.of("a verify that is neither", (Function<JsonNode, Object>) b -> Bodies.sync(b, false),
                        "{\"verify\":\"thorough\"}", "verify: must be fast or deep"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyBadBodyIsRefusedNamingTheField(String what, Function<JsonNode, Object> parse, String body,
            String message) {
        RequestException e = assertThrows(RequestException.class, () -> parse.apply(json(body)));
        assertEquals("INVALID_REQUEST", e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void onlyAFunctionsBodyNamesAnOperationAScheduleIsAPassTowardWhatIsRecorded() {
        RunRequest schedule = Bodies.schedule(json("{\"trigger\":\"schedule\",\"verify\":\"deep\",\"sync\":\"app\"}"));
        assertEquals(Optional.empty(), schedule.operation());
        assertEquals(Verify.DEEP, schedule.verify());
        assertEquals(Optional.of("app"), schedule.sync());
        assertEquals(Optional.of(Operation.REMOVE), Bodies.remove(json("{\"sync\":\"app\"}")).operation());
        assertEquals(Optional.of(Operation.IMPORT_PRIORITIZE_DESTINATION), Bodies.importing(json(
                "{\"sync\":\"app\",\"behavior\":\"prioritize-destination\"}")).operation());
        RunRequest forced = Bodies.sync(json("{\"sync\":\"app\",\"force\":true,\"dryRun\":true}"), false);
        assertEquals(Map.of("force", true, "dryRun", true, "op", Operation.SYNC), Map.of("force", forced.force(),
                "dryRun", forced.dryRun(), "op", forced.operation().get()));
    }
}
