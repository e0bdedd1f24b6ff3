package ocivaultsync.emulator;

import static ocivaultsync.emulator.Requests.bodyBytes;
import static ocivaultsync.emulator.Requests.id;
import static ocivaultsync.emulator.Requests.stringMap;
import static ocivaultsync.emulator.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API under {@code /_emulator/} (docs/EMULATOR.md; a contract: paths and shapes stay). Unsigned, uncounted
 * and never subject to injected faults, so tests can set up and inspect the emulator whatever it is told to do.
 */
final class AdminApi {

    private final OciVaultEmulator emulator;
    private final EmulatedVault vault;

    AdminApi(OciVaultEmulator emulator) {
        this.emulator = emulator;
        this.vault = emulator.vault();
    }

    void register(Router router) {
        router.get("/_emulator/info").handler(rc -> EmulatorServer.send(rc, EmulatorServer.Reply.json(emulator.info())));
        router.post("/_emulator/api-keys").handler(rc -> call(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String keyId = text(b, "keyId");
            String pem = text(b, "publicKeyPem");
            if (keyId == null || pem == null) {
                throw OciError.missing("keyId and publicKeyPem are required.");
            }
            emulator.signer().trust(keyId, pem);
            return Map.of("keyId", keyId);
        }));
        router.post("/_emulator/reset").handler(rc -> call(rc, () -> {
            emulator.reset();
            return Map.of("reset", true);
        }));
        router.get("/_emulator/secrets").handler(rc -> call(rc, vault::snapshot));
        router.post("/_emulator/secrets").handler(rc -> call(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String state = text(b, "lifecycleState");
            return vault.seed(text(b, "name"), text(b, "content"), stringMap(b, "freeformTags"),
                    state == null ? null : SecretState.valueOf(state));
        }));
        router.post("/_emulator/secrets/:id/state").handler(rc -> call(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String then = text(b, "then");
            return vault.force(id(rc), SecretState.valueOf(text(b, "lifecycleState")), b.path("seconds").asLong(60),
                    then == null ? null : SecretState.valueOf(then));
        }));
        router.post("/_emulator/faults").handler(rc -> call(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            var rule = new Faults.Rule(b.path("operation").asText("*"), b.path("status").asInt(0),
                    b.path("rate").asDouble(1.0), b.hasNonNull("count") ? b.get("count").asInt() : null,
                    b.path("latencyMs").asLong(0), b.path("after").asBoolean(false), b.path("reset").asBoolean(false));
            return Map.of("id", emulator.faults().add(rule));
        }));
        router.get("/_emulator/faults").handler(rc -> call(rc, () -> Map.of("rules", emulator.faults().describe(),
                "injected", emulator.faults().injected())));
        router.delete("/_emulator/faults").handler(rc -> call(rc, () -> {
            emulator.faults().clear();
            return Map.of("cleared", true);
        }));
        router.get("/_emulator/calls").handler(rc -> call(rc, emulator.calls()::snapshot));
        router.delete("/_emulator/calls").handler(rc -> call(rc, () -> {
            emulator.calls().reset();
            return Map.of("reset", true);
        }));
        router.post("/_emulator/clock").handler(rc -> call(rc, () -> {
            long seconds = Json.read(bodyBytes(rc)).path("advanceSeconds").asLong(0);
            if (seconds < 0) {
                throw OciError.invalid("advanceSeconds must not be negative.");
            }
            return Map.of("now", Json.time(emulator.clock().advance(Duration.ofSeconds(seconds))));
        }));
        router.get("/_emulator/invocations").handler(rc -> call(rc, () ->
                emulator.invocations().all().stream().map(Invocations.Invocation::toJson).toList()));
        router.delete("/_emulator/invocations").handler(rc -> call(rc, () -> {
            emulator.invocations().clear();
            return Map.of("cleared", true);
        }));
        router.get("/_emulator/metrics").handler(rc -> call(rc, () ->
                emulator.metrics().all().stream().map(ReceivedMetrics.Metric::toJson).toList()));
        router.delete("/_emulator/metrics").handler(rc -> call(rc, () -> {
            emulator.metrics().clear();
            return Map.of("cleared", true);
        }));
    }

    /** Runs an admin action and answers 200 with its result; a bad request is OCI's 400, as on the API. */
    private static void call(RoutingContext rc, Supplier<Object> action) {
        try {
            EmulatorServer.send(rc, EmulatorServer.Reply.json(action.get()));
        } catch (OciError e) {
            EmulatorServer.send(rc, EmulatorServer.error(e));
        } catch (IllegalArgumentException e) {
            EmulatorServer.send(rc, EmulatorServer.error(OciError.invalid("Invalid admin request: " + e.getMessage())));
        }
    }
}
