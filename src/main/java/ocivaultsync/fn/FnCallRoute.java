package ocivaultsync.fn;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import ocivaultsync.settings.FnPlatform;
import ocivaultsync.settings.OvsSettings;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code POST /call}: the Fn agent's request. Picks the function (a call through API Gateway → the last segment of
 * {@code Fn-Http-Request-Url}, handed over marked as the internet, where only the signed-webhook path serves it;
 * anything else → {@code FN_TARGET}, default {@code event}), runs it on a worker thread, and answers by the Fn rules:
 * 200 or 502 on the wire (the real status in {@code Fn-Http-Status} for gateway calls), 504 when the deadline passes
 * first, and {@code Fn-Fdk-Version} always. Every failure, {@code Throwable} included, becomes an answer: a request
 * never hangs.
 */
@ApplicationScoped
public class FnCallRoute {

    private static final Logger LOG = Logger.getLogger(FnCallRoute.class);
    static final String FDK_VERSION = "fdk-oci-vault-sync/0.1.0";
    /** Answer a little before the agent's own deadline, so our 504 wins over a killed container. */
    static final Duration WATCHDOG_MARGIN = Duration.ofMillis(200);

    @Inject
    FnPort functions;

    @Inject
    Vertx vertx;

    @Inject
    FnPlatform platform;

    @Inject
    OvsSettings settings;

    void install(@Observes Router router) {
        router.post("/call").order(-1000).handler(this::call);
    }

    void call(RoutingContext rc) {
        boolean gateway = isGateway(rc);
        String callId = rc.request().getHeader("Fn-Call-Id");
        Optional<Instant> deadline = deadline(rc.request().getHeader("Fn-Deadline"));
        byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        AtomicBoolean answered = new AtomicBoolean();

        String function;
        // Every value of every header: the agent copies each value the invoker sent, so a header that decides who the
        // caller is may arrive twice, and the functions must see that rather than one value picked here.
        Map<String, List<String>> headers = new HashMap<>();
        if (gateway) {
            String url = rc.request().getHeader("Fn-Http-Request-Url");
            function = lastSegment(url == null ? "" : url);
            rc.request().headers().forEach(h -> {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.startsWith("fn-http-h-")) {
                    add(headers, name.substring("fn-http-h-".length()), h.getValue());
                }
            });
            if (!headers.containsKey("content-type") && rc.request().getHeader("content-type") != null) {
                add(headers, "content-type", rc.request().getHeader("content-type"));
            }
        } else {
            function = platform.target();
            rc.request().headers().forEach(h -> add(headers, h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        }
        if (deadline.isPresent() && !deadline.get().minus(WATCHDOG_MARGIN).isAfter(Instant.now())) {
            respond(rc, answered, gateway, new FnPort.Result(504, error("DEADLINE", "the call's deadline passed")));
            return;
        }
        long timer = deadline.map(d -> vertx.setTimer(Math.max(1, Duration.between(Instant.now(),
                d.minus(WATCHDOG_MARGIN)).toMillis()), t -> respond(rc, answered, gateway,
                        new FnPort.Result(504, error("DEADLINE", "the function did not answer before the "
                                + "call's deadline"))))).orElse(-1L);
        Duration margin = settings.fn().deadlineMargin();
        Optional<Instant> runDeadline = deadline.map(d -> d.minus(margin));
        String fn = function;
        vertx.executeBlocking(() -> {
            MDC.put("fnCallId", callId == null ? "" : callId);
            try {
                return functions.call(fn, body, name -> headers.getOrDefault(name.toLowerCase(Locale.ROOT),
                        List.of()), runDeadline, callId, gateway);
            } catch (Throwable t) {
                LOG.errorf("function %s failed: %s", fn, t.getClass().getName());
                return new FnPort.Result(500, error("INTERNAL", "internal error (" + t.getClass().getSimpleName()
                        + ")"));
            } finally {
                MDC.remove("fnCallId");
            }
        }, false).onComplete(ar -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            respond(rc, answered, gateway, ar.succeeded() ? ar.result()
                    : new FnPort.Result(500, error("INTERNAL", "internal error")));
        });
    }

    private static void add(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /**
     * Whether the call came through API Gateway, failing closed: {@code Fn-Intent: httprequest}, or any
     * {@code Fn-Http-*} header whatever {@code Fn-Intent} says (an invocation signed by IAM never carries one; a call
     * that does and is not from the gateway loses nothing by being treated as the internet).
     */
    static boolean isGateway(RoutingContext rc) {
        if ("httprequest".equalsIgnoreCase(rc.request().getHeader("Fn-Intent"))) {
            return true;
        }
        for (var h : rc.request().headers()) {
            if (h.getKey().toLowerCase(Locale.ROOT).startsWith("fn-http-")) {
                return true;
            }
        }
        return false;
    }

    /** Exactly one answer per call, by the Fn rules. */
    private static void respond(RoutingContext rc, AtomicBoolean answered, boolean gateway, FnPort.Result r) {
        if (!answered.compareAndSet(false, true) || rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        HttpServerResponse resp = rc.response();
        resp.putHeader("Fn-Fdk-Version", FDK_VERSION);
        resp.putHeader("Content-Type", "application/json");
        if (gateway) {
            resp.setStatusCode(r.status() == 504 ? 504 : 200);
            resp.putHeader("Fn-Http-Status", String.valueOf(r.status()));
        } else {
            resp.setStatusCode(r.status() >= 200 && r.status() < 300 ? 200 : r.status() == 504 ? 504 : 502);
        }
        resp.end(r.json() == null ? "" : r.json());
    }

    static Optional<Instant> deadline(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(header.trim()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String lastSegment(String url) {
        String path = url;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String error(String code, String message) {
        return new io.vertx.core.json.JsonObject().put("error", new io.vertx.core.json.JsonObject().put("code", code)
                .put("message", message)).encode();
    }
}
