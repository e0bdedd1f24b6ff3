package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import ocivaultsync.fn.FnPort;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.GatewayWebhook;
import org.jboss.logging.Logger;

/**
 * Plugs the functions into the Fn adapter: parse the body, call, serialize, and turn every failure into an answer.
 *
 * <p>An IAM-authenticated invocation of the default target ({@code event}) may name another function in its body,
 * {@code {"function": "sync", ...}}: that is how {@code fn invoke} and {@code oci fn function invoke} reach
 * {@code sync}, {@code plan}, {@code import}, {@code remove} and {@code status} of a function deployed once, for the
 * callers those functions admit ({@link FunctionCalls#call} checks, on the function named). A schedule's body that
 * names one is such a call too, from a caller that is no operator, and is refused (but for {@code status}, which
 * anyone may read). A request through API Gateway never can: it goes to {@link GatewayWebhook} before its body is
 * even parsed.
 */
@ApplicationScoped
public class FnBinding implements FnPort {

    private static final Logger LOG = Logger.getLogger(FnBinding.class);

    @Inject
    FunctionCalls handlers;

    @Inject
    ObjectMapper json;

    @Override
    public Result call(String function, byte[] body, Function<String, List<String>> headers,
            Optional<Instant> deadline, String callId, boolean viaGateway) {
        if (viaGateway) {
            return gateway(function, body, headers, deadline, callId);
        }
        try {
            if (!FunctionCalls.NAMES.contains(function)) {
                return error(404, "INVALID_REQUEST", "no such function: " + function);
            }
            FunctionCalls.refuseOversize(body.length);
            JsonNode parsed;
            try {
                parsed = body.length == 0 ? null : json.readTree(body);
            } catch (IOException e) {
                return error(400, "INVALID_REQUEST", "the body is not valid JSON for this function");
            }
            String target = function;
            if ("event".equals(function) && parsed != null && parsed.isObject()
                    && parsed.has("function")) {
                target = parsed.get("function").asText();
                if (FunctionName.of(target).filter(FunctionName::namedInBody).isEmpty()) {
                    return error(400, "INVALID_REQUEST", "function: must be one of "
                            + String.join(", ", FunctionName.namedInBodies()));
                }
                parsed = ((com.fasterxml.jackson.databind.node.ObjectNode) parsed.deepCopy()).without("function");
            }
            Object report = handlers.answer(target, parsed, new CallContext(body, headers, deadline, callId,
                    viaGateway));
            return new Result(200, json.writeValueAsString(report));
        } catch (RequestException e) {
            return error(e.status(), e.code(), e.getMessage());
        } catch (Throwable t) {
            LOG.errorf("function %s failed: %s", function, t.getClass().getName());
            return error(500, "INTERNAL", "internal error (" + t.getClass().getSimpleName() + ")");
        }
    }

    /** The internet's way in: nothing of the body is parsed here, and no failure says more than its status. */
    private Result gateway(String function, byte[] body, Function<String, List<String>> headers,
            Optional<Instant> deadline,
            String callId) {
        try {
            JsonNode ack = handlers.gateway(function, new CallContext(body, headers, deadline, callId, true));
            return new Result(200, json.writeValueAsString(ack));
        } catch (RequestException e) {
            return error(e.status(), e.code(), e.getMessage());
        } catch (Throwable t) {
            LOG.errorf("a call through API Gateway failed: %s", t.getClass().getName());
            return error(500, "INTERNAL", "internal error");
        }
    }

    private static Result error(int status, String code, String message) {
        return new Result(status, ErrorResponses.json(code, message));
    }
}
