package ocivaultsync.function;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.trigger.CallContext;

/**
 * The body cap on the Funqy path ({@code POST /sync} and the like): a body over {@link CallContext#MAX_BODY_BYTES} is
 * answered 400 {@code INVALID_REQUEST} before Funqy parses it. It runs after Quarkus has read the body (its own cap,
 * {@code quarkus.http.limits.max-body-size}, 10 MB, stays the bound on what is read) and before any function. The Fn
 * adapter's {@code /call} has its own answer rules and is capped by {@link FnBinding} (and a call through API Gateway
 * with the uniform refusal).
 */
@ApplicationScoped
public class BodyCap {

    /** After Quarkus's body handler, before the Fn route (-1000) and Funqy's routes. */
    static final int ORDER = -1100;

    void install(@Observes Router router) {
        router.post().order(ORDER).handler(this::check);
    }

    void check(RoutingContext rc) {
        if ("/call".equals(rc.normalizedPath())) {
            rc.next();
            return;
        }
        long size = rc.body() == null || rc.body().buffer() == null ? 0 : rc.body().buffer().length();
        try {
            FunctionCalls.refuseOversize(size);
        } catch (RequestException e) {
            ErrorResponses.send(rc, e.status(), e.code(), e.getMessage());
            return;
        }
        rc.next();
    }
}
