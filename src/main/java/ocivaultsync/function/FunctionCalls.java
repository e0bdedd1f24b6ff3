package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import ocivaultsync.config.ConfigException;
import ocivaultsync.report.RunReport;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.trigger.Bodies;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.GatewayWebhook;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.trigger.WebhookVerifier;

/**
 * The functions, independent of how the call arrived (Funqy over HTTP, or the Fn {@code /call} route). Each checks
 * who may call it ({@link #ACCESS}), parses its body strictly ({@link Bodies}), runs, and returns the report; a caller
 * who may not call it is answered {@code NOT_AUTHORIZED} before anything is read, a configuration that does not load
 * {@code INVALID_CONFIG}, a sync it does not have {@code UNKNOWN_SYNC}.
 */
public final class FunctionCalls {

    /**
     * Who may call each function (README, "Who may call what"); a name not here is no function. {@code event} serves
     * every automatic trigger, whose bodies cannot name an operation, {@code force} or a behaviour: a pass toward the
     * intent recorded in OCI is all they can cause. The others change intent, widen a pass, or show secret names.
     */
    static final Map<String, Access> ACCESS = Map.of(
            "sync", Access.OPERATOR,
            "plan", Access.OPERATOR,
            "import", Access.OPERATOR,
            "remove", Access.OPERATOR,
            "event", Access.ANY_CALLER);

    /** The names callers use. */
    public static final Set<String> NAMES = ACCESS.keySet();

    private final SyncRunner runner;
    private final EventHandler events;
    private final GatewayWebhook gateway;
    private final Operators operators;

    /** Without signing-key secrets: every call through API Gateway is refused. */
    public FunctionCalls(SyncRunner runner, EventHandler events, Operators operators) {
        this(runner, events, new GatewayWebhook(runner, java.util.List.of(), id -> null,
                new WebhookVerifier(java.time.Clock.systemUTC())), operators);
    }

    /**
     * @param operators who may call the {@link Access#OPERATOR} functions ({@code ovs.operator-principal-ids})
     */
    public FunctionCalls(SyncRunner runner, EventHandler events, GatewayWebhook gateway, Operators operators) {
        this.runner = runner;
        this.events = events;
        this.gateway = gateway;
        this.operators = operators;
    }

    /**
     * A call through API Gateway: only ever a signed Infisical webhook, whatever its body or URL says.
     *
     * @param function the last segment of the gateway URL
     * @return the minimal acknowledgement
     * @throws RequestException the one uniform refusal
     */
    JsonNode gateway(String function, CallContext ctx) {
        return gateway.handle(function, ctx);
    }

    public RunReport call(String function, JsonNode body, CallContext ctx) {
        refuseOversize(ctx.rawBody().length);
        Access access = ACCESS.get(function);
        if (access == null) {
            throw new RequestException(404, "INVALID_REQUEST", "no such function: " + function);
        }
        if (access == Access.OPERATOR) {
            operators.authorize(function, ctx); // from the headers alone: nothing is read for a caller refused
        }
        return answered(() -> switch (function) {
            case "sync" -> manual(Bodies.sync(body, false), ctx);
            case "plan" -> manual(Bodies.sync(body, true), ctx);
            case "import" -> manual(Bodies.importing(body), ctx);
            case "remove" -> manual(Bodies.remove(body), ctx);
            case "event" -> events.handle(body, ctx);
            default -> throw new RequestException(404, "INVALID_REQUEST", "no such function: " + function);
        });
    }

    private RunReport manual(RunRequest r, CallContext ctx) {
        return runner.run(runner.config(), ctx.deadline().map(r::withDeadline).orElse(r));
    }

    /** What the run layer says in its own words, answered as the refusals callers know. */
    private static RunReport answered(Supplier<RunReport> call) {
        try {
            return call.get();
        } catch (ConfigException e) {
            throw new RequestException("INVALID_CONFIG", e.getMessage());
        } catch (SyncRunner.UnknownSync e) {
            throw new RequestException("UNKNOWN_SYNC", e.getMessage());
        }
    }

    /**
     * A body over {@link CallContext#MAX_BODY_BYTES} is refused before it is parsed; the transports call this before
     * they parse (the Fn adapter, {@link BodyCap} for Funqy), and every call again here.
     *
     * @throws RequestException INVALID_REQUEST
     */
    static void refuseOversize(long bodyBytes) {
        if (bodyBytes > CallContext.MAX_BODY_BYTES) {
            throw RequestException.invalid("the body is over " + CallContext.MAX_BODY_BYTES + " bytes (64 KB), more "
                    + "than any call takes; it was not read");
        }
    }
}
