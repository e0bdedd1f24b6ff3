package ocivaultsync.emulator;

import static ocivaultsync.emulator.Requests.bodyBytes;
import static ocivaultsync.emulator.Requests.id;
import static ocivaultsync.emulator.Requests.longParam;
import static ocivaultsync.emulator.Requests.objectMap;
import static ocivaultsync.emulator.Requests.optInt;
import static ocivaultsync.emulator.Requests.optLong;
import static ocivaultsync.emulator.Requests.q;
import static ocivaultsync.emulator.Requests.stringMap;
import static ocivaultsync.emulator.Requests.text;

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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP layer: routes, signature checks, call counting, fault injection and OCI-shaped answers. Requests are parsed
 * by {@link Requests}, answers shaped by {@link OciJson}, the admin API served by {@link AdminApi}; business rules live
 * in {@link EmulatedVault} and {@link EmulatedSecret}. This class never decides a status itself.
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
        new AdminApi(emulator).register(router);
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
        api(router, "POST", "/20180401/metrics", "PostMetricData", rc -> Reply.json(emulator.metrics().post(
                Json.read(bodyBytes(rc)), emulator.clock().now(), this::postableCompartment)));
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
            // Every HTTP origin server with a clock sends Date (RFC 9110, section 6.6.1), OCI's included: the one
            // clock a client can order its deletion windows by. The emulator's is the one tests move.
            rc.response().putHeader("date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    emulator.clock().now().atZone(java.time.ZoneOffset.UTC)));
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

    static Reply error(OciError e) {
        return new Reply(e.status(), OciJson.error(e), Map.of());
    }

    static void send(RoutingContext rc, Reply reply) {
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
        EmulatedVault.Page page = vault.list(Requests.secretQuery(rc));
        return new Reply(200, page.items(), page.nextOffset() == null ? Map.of() : Map.of("opc-next-page",
                Requests.secretPageToken(page.nextOffset())));
    }

    private Reply createSecret(RoutingContext rc) {
        byte[] raw = bodyBytes(rc);
        JsonNode b = Json.read(raw);
        Requests.SecretContent content = Requests.secretContent(b);
        var req = new NewSecret(text(b, "compartmentId"), text(b, "vaultId"), text(b, "keyId"), text(b, "secretName"),
                text(b, "description"), content.base64(), content.versionName(), stringMap(b, "freeformTags"),
                objectMap(b, "definedTags"), objectMap(b, "metadata"));
        Map<String, Object> secret = vault.create(req, rc.request().getHeader("opc-retry-token"), Requests.hash(raw));
        return Reply.json(secret, vault.etag((String) secret.get("id")));
    }

    private Reply updateSecret(RoutingContext rc) {
        JsonNode b = Json.read(bodyBytes(rc));
        Requests.SecretContent content = Requests.secretContent(b);
        Long current = b.hasNonNull("currentVersionNumber") ? b.get("currentVersionNumber").asLong() : null;
        var req = new SecretUpdate(text(b, "description"), content.base64(), content.versionName(), content.pending(),
                stringMap(b, "freeformTags"), objectMap(b, "definedTags"), objectMap(b, "metadata"), current);
        Map<String, Object> secret = vault.update(id(rc), req, rc.request().getHeader("if-match"));
        return Reply.json(secret, vault.etag(id(rc)));
    }

    private Reply scheduleDeletion(RoutingContext rc) {
        Instant when = Requests.timeOfDeletion(Json.read(bodyBytes(rc)));
        return Reply.empty(vault.scheduleDeletion(id(rc), when, rc.request().getHeader("if-match")));
    }

    private Reply scheduleVersionDeletion(RoutingContext rc) {
        Instant when = Requests.timeOfDeletion(Json.read(bodyBytes(rc)));
        return Reply.empty(vault.scheduleVersionDeletion(id(rc), longParam(rc.pathParam("n"), "secretVersionNumber"),
                when, rc.request().getHeader("if-match")));
    }

    private Reply listVersions(RoutingContext rc) {
        EmulatedVault.Page page = vault.listVersions(id(rc), optInt(rc, "limit"), Requests.versionPageOffset(rc),
                "DESC".equals(q(rc, "sortOrder")));
        return new Reply(200, page.items(), page.nextOffset() == null ? Map.of() : Map.of("opc-next-page",
                String.valueOf(page.nextOffset())));
    }

    // ---- KMS and Functions ----

    private Reply getVault(RoutingContext rc) {
        var id = vault.identity();
        if (!id.vaultId().equals(id(rc))) {
            throw OciError.notFound();
        }
        return Reply.json(OciJson.vault(id, emulator.endpoint()), "vault-etag");
    }

    private Reply getKey(RoutingContext rc) {
        var id = vault.identity();
        if (!id.keyId().equals(id(rc))) {
            throw OciError.notFound();
        }
        return Reply.json(OciJson.key(id), "key-etag");
    }

    /**
     * Where metrics may be posted: the emulator's compartment or the tenancy above it; another compartment answers as
     * one without a {@code use metrics} grant would (404).
     */
    private boolean postableCompartment(String compartmentId) {
        var id = vault.identity();
        return id.compartmentId().equals(compartmentId) || id.tenancyId().equals(compartmentId);
    }

    /** Functions management GetFunction: just enough to learn a function's invoke endpoint (this emulator). */
    private Reply getFunction(RoutingContext rc) {
        return Reply.json(OciJson.function(vault.identity(), id(rc), emulator.endpoint()), "function-etag");
    }

    private Reply invoke(RoutingContext rc) {
        String type = rc.request().getHeader("fn-invoke-type");
        emulator.invocations().add(new Invocations.Invocation(id(rc), type == null ? "sync" : type,
                rc.request().getHeader("fn-intent"), new String(bodyBytes(rc), StandardCharsets.UTF_8),
                Json.time(Instant.now())));
        // A detached invoke is accepted and answered at once, with no body (the function runs on its own).
        return new Reply("detached".equalsIgnoreCase(type) ? 202 : 200, null, Map.of());
    }
}
