package ocivaultsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP layer: routes, request parsing, signature checks, call counting, fault injection and OCI-shaped answers.
 * Business rules live in {@link EmulatedVault}; this class never decides a status itself.
 */
final class EmulatorServer {

    /** An answer: status, JSON body (or none) and extra headers. */
    record Reply(int status, Object body, Map<String, String> headers) {
        static Reply json(Object body) {
            return new Reply(200, body, Map.of());
        }

        static Reply json(Object body, String etag) {
            return new Reply(200, body, etag == null ? Map.of() : Map.of("etag", etag));
        }

        static Reply empty(String etag) {
            return new Reply(200, null, etag == null ? Map.of() : Map.of("etag", etag));
        }
    }

    private final Vertx vertx;
    private final OciVaultEmulator emulator;
    private final EmulatedVault vault;
    private final EmulatorOptions options;
    private HttpServer server;

    EmulatorServer(Vertx vertx, OciVaultEmulator emulator) {
        this.vertx = vertx;
        this.emulator = emulator;
        this.vault = emulator.vault();
        this.options = emulator.options();
    }

    int start() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024));
        admin(router);
        api(router, "GET", "/20180608/secrets", "ListSecrets", this::listSecrets);
        api(router, "POST", "/20180608/secrets", "CreateSecret", this::createSecret);
        api(router, "GET", "/20180608/secrets/:id", "GetSecret",
                rc -> Reply.json(vault.get(id(rc)), vault.etag(id(rc))));
        api(router, "PUT", "/20180608/secrets/:id", "UpdateSecret", this::updateSecret);
        api(router, "POST", "/20180608/secrets/:id/actions/scheduleDeletion", "ScheduleSecretDeletion",
                this::scheduleDeletion);
        api(router, "POST", "/20180608/secrets/:id/actions/cancelDeletion", "CancelSecretDeletion",
                rc -> Reply.empty(vault.cancelDeletion(id(rc), rc.request().getHeader("if-match"))));
        api(router, "GET", "/20180608/secrets/:id/versions", "ListSecretVersions", this::listVersions);
        api(router, "POST", "/20180608/secrets/:id/version/:n/actions/scheduleDeletion",
                "ScheduleSecretVersionDeletion", this::scheduleVersionDeletion);
        api(router, "POST", "/20180608/secrets/:id/version/:n/actions/cancelDeletion", "CancelSecretVersionDeletion",
                rc -> Reply.empty(vault.cancelVersionDeletion(id(rc), longParam(rc.pathParam("n"),
                        "secretVersionNumber"), rc.request().getHeader("if-match"))));
        api(router, "GET", "/20180608/secrets/:id/version/:n", "GetSecretVersion",
                rc -> Reply.json(vault.getVersion(id(rc), longParam(rc.pathParam("n"), "secretVersionNumber"))));
        api(router, "POST", "/20190301/secretbundles/actions/getByName", "GetSecretBundleByName",
                rc -> Reply.json(vault.bundleByName(q(rc, "vaultId"), q(rc, "secretName"),
                        optLong(rc, "versionNumber"), q(rc, "secretVersionName"), q(rc, "stage"))));
        api(router, "GET", "/20190301/secretbundles/:id", "GetSecretBundle",
                rc -> Reply.json(vault.bundle(id(rc), optLong(rc, "versionNumber"), q(rc, "secretVersionName"),
                        q(rc, "stage"))));
        api(router, "GET", "/20180608/vaults/:id", "GetVault", this::getVault);
        api(router, "GET", "/20180608/keys/:id", "GetKey", this::getKey);
        api(router, "POST", "/20181201/functions/:id/actions/invoke", "InvokeFunction", this::invoke);
        api(router, "GET", "/20181201/functions/:id", "GetFunction", this::getFunction);
        router.route().handler(rc -> send(rc, error(OciError.notFound())));

        server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
                .requestHandler(router);
        try {
            server = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the emulator could not listen on " + options.host() + ":" + options.port(),
                    e);
        }
        return server.actualPort();
    }

    void stop() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }

    // ---- pipeline ----

    private void api(Router router, String method, String path, String operation, Function<RoutingContext, Reply> h) {
        router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(rc -> {
            try {
                if (options.verifySignatures()) {
                    byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0]
                            : rc.body().buffer().getBytes();
                    emulator.signer().verify(new RequestSigner.SignedRequest(method, rc.request().uri(),
                            rc.request()::getHeader, body));
                }
            } catch (OciError e) {
                send(rc, error(e));
                return;
            }
            emulator.calls().increment(operation);
            Faults.Decision fault = emulator.faults().decide(operation);
            long delay = options.latencyMs() + fault.latencyMs();
            Runnable run = () -> respond(rc, h, fault);
            if (delay > 0) {
                vertx.setTimer(delay, t -> run.run());
            } else {
                run.run();
            }
        });
    }

    private void respond(RoutingContext rc, Function<RoutingContext, Reply> handler, Faults.Decision fault) {
        if (fault.fails() && !fault.after()) {
            fail(rc, fault);
            return;
        }
        Reply reply;
        try {
            reply = handler.apply(rc);
        } catch (OciError e) {
            reply = error(e);
        } catch (RuntimeException e) {
            reply = error(new OciError(500, "InternalServerError", "The emulator failed: " + e.getClass().getSimpleName()));
        }
        if (fault.fails()) {
            fail(rc, fault);
            return;
        }
        send(rc, reply);
    }

    private void fail(RoutingContext rc, Faults.Decision fault) {
        if (fault.reset()) {
            rc.request().connection().close();
        } else {
            send(rc, error(fault.error()));
        }
    }

    private static Reply error(OciError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code());
        body.put("message", e.getMessage());
        return new Reply(e.status(), body, Map.of());
    }

    private static void send(RoutingContext rc, Reply reply) {
        HttpServerResponse resp = rc.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        resp.setStatusCode(reply.status());
        // OCI echoes a caller's opc-request-id (clients use it to correlate); otherwise it makes one up.
        String callerId = rc.request().getHeader("opc-request-id");
        resp.putHeader("opc-request-id", callerId != null && !callerId.isBlank() && callerId.length() <= 98 ? callerId
                : UUID.randomUUID().toString().replace("-", "").toUpperCase());
        reply.headers().forEach(resp::putHeader);
        if (reply.body() == null) {
            resp.end();
        } else {
            resp.putHeader("content-type", "application/json");
            resp.end(Buffer.buffer(Json.write(reply.body()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ---- secret management ----

    private Reply listSecrets(RoutingContext rc) {
        EmulatedVault.Page page = vault.list(q(rc, "compartmentId"), q(rc, "vaultId"), q(rc, "name"),
                q(rc, "lifecycleState"), q(rc, "sortBy"), q(rc, "sortOrder"), optInt(rc, "limit"), q(rc, "page"));
        return new Reply(200, page.items(), page.nextPage() == null ? Map.of() : Map.of("opc-next-page",
                page.nextPage()));
    }

    private Reply createSecret(RoutingContext rc) {
        byte[] raw = bodyBytes(rc);
        JsonNode b = Json.read(raw);
        JsonNode content = b.get("secretContent");
        String contentBase64 = null;
        String versionName = null;
        if (content != null && !content.isNull()) {
            if (!"BASE64".equals(text(content, "contentType"))) {
                throw OciError.invalid("secretContent.contentType must be BASE64.");
            }
            contentBase64 = text(content, "content");
            versionName = text(content, "name");
        }
        var req = new EmulatedVault.NewSecret(text(b, "compartmentId"), text(b, "vaultId"), text(b, "keyId"),
                text(b, "secretName"), text(b, "description"), contentBase64, versionName, stringMap(b, "freeformTags"),
                objectMap(b, "definedTags"), objectMap(b, "metadata"));
        Map<String, Object> secret = vault.create(req, rc.request().getHeader("opc-retry-token"), EmulatedVault.hash(raw));
        return Reply.json(secret, vault.etag((String) secret.get("id")));
    }

    private Reply updateSecret(RoutingContext rc) {
        JsonNode b = Json.read(bodyBytes(rc));
        JsonNode content = b.get("secretContent");
        String contentBase64 = null;
        String versionName = null;
        boolean pending = false;
        if (content != null && !content.isNull()) {
            if (!"BASE64".equals(text(content, "contentType"))) {
                throw OciError.invalid("secretContent.contentType must be BASE64.");
            }
            contentBase64 = text(content, "content");
            versionName = text(content, "name");
            pending = "PENDING".equals(text(content, "stage"));
        }
        Long current = b.hasNonNull("currentVersionNumber") ? b.get("currentVersionNumber").asLong() : null;
        var req = new EmulatedVault.SecretUpdate(text(b, "description"), contentBase64, versionName, pending,
                stringMap(b, "freeformTags"), objectMap(b, "definedTags"), objectMap(b, "metadata"), current);
        Map<String, Object> secret = vault.update(id(rc), req, rc.request().getHeader("if-match"));
        return Reply.json(secret, vault.etag(id(rc)));
    }

    private Reply scheduleDeletion(RoutingContext rc) {
        JsonNode b = Json.read(bodyBytes(rc));
        Instant when = null;
        if (b.hasNonNull("timeOfDeletion")) {
            try {
                when = java.time.OffsetDateTime.parse(b.get("timeOfDeletion").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw OciError.invalid("timeOfDeletion must be an RFC 3339 timestamp.");
            }
        }
        return Reply.empty(vault.scheduleDeletion(id(rc), when, rc.request().getHeader("if-match")));
    }

    private Reply scheduleVersionDeletion(RoutingContext rc) {
        JsonNode b = Json.read(bodyBytes(rc));
        Instant when = null;
        if (b.hasNonNull("timeOfDeletion")) {
            try {
                when = java.time.OffsetDateTime.parse(b.get("timeOfDeletion").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw OciError.invalid("timeOfDeletion must be an RFC 3339 timestamp.");
            }
        }
        return Reply.empty(vault.scheduleVersionDeletion(id(rc), longParam(rc.pathParam("n"), "secretVersionNumber"),
                when, rc.request().getHeader("if-match")));
    }

    private Reply listVersions(RoutingContext rc) {
        EmulatedVault.Page page = vault.listVersions(id(rc), optInt(rc, "limit"), q(rc, "page"), q(rc, "sortOrder"));
        return new Reply(200, page.items(), page.nextPage() == null ? Map.of() : Map.of("opc-next-page",
                page.nextPage()));
    }

    // ---- KMS and Functions ----

    private Reply getVault(RoutingContext rc) {
        var id = vault.identity();
        if (!id.vaultId().equals(id(rc))) {
            throw OciError.notFound();
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("compartmentId", id.compartmentId());
        v.put("cryptoEndpoint", emulator.endpoint());
        v.put("displayName", "emulator-vault");
        v.put("id", id.vaultId());
        v.put("lifecycleState", "ACTIVE");
        v.put("managementEndpoint", emulator.endpoint());
        v.put("timeCreated", Json.time(Instant.EPOCH));
        v.put("vaultType", "DEFAULT");
        v.put("freeformTags", Map.of());
        v.put("definedTags", Map.of());
        return Reply.json(v, "vault-etag");
    }

    private Reply getKey(RoutingContext rc) {
        var id = vault.identity();
        if (!id.keyId().equals(id(rc))) {
            throw OciError.notFound();
        }
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("compartmentId", id.compartmentId());
        k.put("currentKeyVersion", id.keyId() + ".v1");
        k.put("displayName", "emulator-key");
        k.put("id", id.keyId());
        k.put("keyShape", Map.of("algorithm", "AES", "length", 32));
        k.put("lifecycleState", "ENABLED");
        k.put("protectionMode", "SOFTWARE");
        k.put("timeCreated", Json.time(Instant.EPOCH));
        k.put("vaultId", id.vaultId());
        k.put("freeformTags", Map.of());
        k.put("definedTags", Map.of());
        return Reply.json(k, "key-etag");
    }

    /** Functions management GetFunction: just enough to learn a function's invoke endpoint (this emulator). */
    private Reply getFunction(RoutingContext rc) {
        var id = vault.identity();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", id(rc));
        f.put("applicationId", "ocid1.fnapp.oc1." + id.region() + ".emulatorapp");
        f.put("compartmentId", id.compartmentId());
        f.put("displayName", "oci-vault-sync");
        f.put("image", "emulator/oci-vault-sync:latest");
        f.put("memoryInMBs", 256);
        f.put("timeoutInSeconds", 300);
        f.put("invokeEndpoint", emulator.endpoint());
        f.put("lifecycleState", "ACTIVE");
        f.put("timeCreated", Json.time(Instant.EPOCH));
        return Reply.json(f, "function-etag");
    }

    private Reply invoke(RoutingContext rc) {
        String type = rc.request().getHeader("fn-invoke-type");
        emulator.invocations().add(new Invocations.Invocation(id(rc), type == null ? "sync" : type,
                rc.request().getHeader("fn-intent"), new String(bodyBytes(rc), StandardCharsets.UTF_8),
                Json.time(Instant.now())));
        // A detached invoke is accepted and answered at once, with no body (the function runs on its own).
        return new Reply("detached".equalsIgnoreCase(type) ? 202 : 200, null, Map.of());
    }

    // ---- admin API (docs/EMULATOR.md; a contract: paths and shapes stay) ----

    private void admin(Router router) {
        router.get("/_emulator/info").handler(rc -> send(rc, Reply.json(emulator.info())));
        router.post("/_emulator/api-keys").handler(rc -> adminCall(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String keyId = text(b, "keyId");
            String pem = text(b, "publicKeyPem");
            if (keyId == null || pem == null) {
                throw OciError.missing("keyId and publicKeyPem are required.");
            }
            emulator.signer().trust(keyId, pem);
            return Reply.json(Map.of("keyId", keyId));
        }));
        router.post("/_emulator/reset").handler(rc -> adminCall(rc, () -> {
            emulator.reset();
            return Reply.json(Map.of("reset", true));
        }));
        router.get("/_emulator/secrets").handler(rc -> send(rc, Reply.json(vault.snapshot())));
        router.post("/_emulator/secrets").handler(rc -> adminCall(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String state = text(b, "lifecycleState");
            return Reply.json(vault.seed(text(b, "name"), text(b, "content"), stringMap(b, "freeformTags"),
                    state == null ? null : SecretState.valueOf(state)));
        }));
        router.post("/_emulator/secrets/:id/state").handler(rc -> adminCall(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            String then = text(b, "then");
            return Reply.json(vault.force(id(rc), SecretState.valueOf(text(b, "lifecycleState")),
                    b.path("seconds").asLong(60), then == null ? null : SecretState.valueOf(then)));
        }));
        router.post("/_emulator/faults").handler(rc -> adminCall(rc, () -> {
            JsonNode b = Json.read(bodyBytes(rc));
            var rule = new Faults.Rule(b.path("operation").asText("*"), b.path("status").asInt(0),
                    b.path("rate").asDouble(1.0), b.hasNonNull("count") ? b.get("count").asInt() : null,
                    b.path("latencyMs").asLong(0), b.path("after").asBoolean(false), b.path("reset").asBoolean(false));
            return Reply.json(Map.of("id", emulator.faults().add(rule)));
        }));
        router.get("/_emulator/faults").handler(rc -> send(rc, Reply.json(Map.of("rules",
                emulator.faults().describe(), "injected", emulator.faults().injected()))));
        router.delete("/_emulator/faults").handler(rc -> adminCall(rc, () -> {
            emulator.faults().clear();
            return Reply.json(Map.of("cleared", true));
        }));
        router.get("/_emulator/calls").handler(rc -> send(rc, Reply.json(emulator.calls().snapshot())));
        router.delete("/_emulator/calls").handler(rc -> adminCall(rc, () -> {
            emulator.calls().reset();
            return Reply.json(Map.of("reset", true));
        }));
        router.post("/_emulator/clock").handler(rc -> adminCall(rc, () -> {
            long seconds = Json.read(bodyBytes(rc)).path("advanceSeconds").asLong(0);
            if (seconds < 0) {
                throw OciError.invalid("advanceSeconds must not be negative.");
            }
            return Reply.json(Map.of("now", Json.time(emulator.clock().advance(Duration.ofSeconds(seconds)))));
        }));
        router.get("/_emulator/invocations").handler(rc -> send(rc, Reply.json(
                emulator.invocations().all().stream().map(Invocations.Invocation::toJson).toList())));
        router.delete("/_emulator/invocations").handler(rc -> adminCall(rc, () -> {
            emulator.invocations().clear();
            return Reply.json(Map.of("cleared", true));
        }));
    }

    private static void adminCall(RoutingContext rc, java.util.function.Supplier<Reply> action) {
        try {
            send(rc, action.get());
        } catch (OciError e) {
            send(rc, error(e));
        } catch (IllegalArgumentException e) {
            send(rc, error(OciError.invalid("Invalid admin request: " + e.getMessage())));
        }
    }

    // ---- parsing helpers ----

    private static String id(RoutingContext rc) {
        return rc.pathParam("id");
    }

    private static String q(RoutingContext rc, String name) {
        List<String> all = rc.queryParam(name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static Integer optInt(RoutingContext rc, String name) {
        String v = q(rc, name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw OciError.invalid(name + " must be a number.");
        }
    }

    private static Long optLong(RoutingContext rc, String name) {
        String v = q(rc, name);
        return v == null ? null : longParam(v, name);
    }

    private static long longParam(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw OciError.invalid(name + " must be a number.");
        }
    }

    private static byte[] bodyBytes(RoutingContext rc) {
        return rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> stringMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw OciError.invalid(field + " must be an object.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return Json.MAPPER.convertValue(v, Map.class);
    }
}
