package ocivaultsync.function;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import ocivaultsync.trigger.RequestException;
import org.jboss.logging.Logger;

/**
 * Turns failures into {@code {"error": {"code", "message"}}} answers. Funqy answers an exception with an opaque 500
 * and bad JSON with an empty 400; bad input here must say what is wrong, and nothing else may leak: an unexpected
 * failure answers only its type.
 */
@ApplicationScoped
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    void install(@Observes Router router) {
        router.route().failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.response().headWritten()) {
            return;
        }
        RequestException re = find(rc.failure());
        if (re != null) {
            send(rc, re.status(), re.code(), re.getMessage());
        } else if (rc.failure() == null && rc.statusCode() == 400) {
            send(rc, 400, "INVALID_REQUEST", "the body is not valid JSON for this function");
        } else if (rc.failure() == null && rc.statusCode() == 404) {
            send(rc, 404, "NOT_FOUND", "no such function: " + rc.request().path());
        } else if (rc.failure() == null && rc.statusCode() == 405) {
            send(rc, 405, "METHOD_NOT_ALLOWED", "functions are called with POST");
        } else {
            Throwable t = rc.failure();
            String type = t == null ? "HTTP " + rc.statusCode() : root(t).getClass().getSimpleName();
            LOG.errorf("request %s failed: %s", rc.request().path(), type);
            send(rc, 500, "INTERNAL", "internal error (" + type + ")");
        }
    }

    static RequestException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RequestException re) {
                return re;
            }
        }
        return null;
    }

    /** The innermost cause: Funqy wraps what a function threw. */
    private static Throwable root(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    static void send(RoutingContext rc, int status, String code, String message) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(json(code, message));
    }

    /** {@code {"error": {"code", "message"}}}, the body of every refusal (README, 'Calling it'). */
    static String json(String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
    }
}
