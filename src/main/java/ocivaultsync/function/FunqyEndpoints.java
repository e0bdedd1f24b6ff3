package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.StatusReport;
import ocivaultsync.trigger.CallContext;

/**
 * The functions over HTTP (Funqy): {@code POST /sync}, {@code /plan}, {@code /import}, {@code /remove}, {@code /event},
 * {@code /status}.
 * Each is a one-line hand-over to {@link FunctionCalls}; the raw body and headers come from the current request
 * (an Infisical signature covers the exact bytes).
 */
@ApplicationScoped
public class FunqyEndpoints {

    @Inject
    FunctionCalls handlers;

    @Inject
    CurrentVertxRequest request;

    /** Runs one sync, or all when {@code sync} is absent. */
    @Funq("sync")
    public RunReport sync(JsonNode body) {
        return handlers.call("sync", body, context());
    }

    /** What {@code sync} would do, with no write: {@code sync} with {@code dryRun: true}. */
    @Funq("plan")
    public RunReport plan(JsonNode body) {
        return handlers.call("plan", body, context());
    }

    /** Writes the sync's destination secrets into its source (F9). */
    @Funq("import")
    public RunReport importSecrets(JsonNode body) {
        return handlers.call("import", body, context());
    }

    /** Schedules the deletion of every secret the sync owns (F9). */
    @Funq("remove")
    public RunReport remove(JsonNode body) {
        return handlers.call("remove", body, context());
    }

    /** Every sync's status, or one's: read from the state secrets, nothing run or written. */
    @Funq("status")
    public StatusReport status(JsonNode body) {
        return handlers.status(body, context());
    }

    /** An OCI event, an Infisical webhook, a schedule or a retry message (F16). */
    @Funq("event")
    public RunReport event(JsonNode body) {
        return handlers.call("event", body, context());
    }

    private CallContext context() {
        RoutingContext rc = request.getCurrent();
        byte[] raw = rc == null || rc.body() == null || rc.body().buffer() == null ? new byte[0]
                : rc.body().buffer().getBytes();
        // Every value of a header: a caller may send oci-subject-id twice, and which one counts is then unknown.
        return new CallContext(raw, name -> rc == null ? List.of() : rc.request().headers().getAll(name),
                Optional.empty(), null, false);
    }
}
