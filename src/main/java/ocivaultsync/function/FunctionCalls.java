package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import ocivaultsync.config.ConfigException;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.StatusReport;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.trigger.Bodies;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.GatewayWebhook;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.trigger.WebhookVerifier;

/**
 * The functions ({@link FunctionName}), independent of how the call arrived (Funqy over HTTP, or the Fn {@code /call}
 * route). Each checks who may call it ({@link FunctionName#access}), parses its body strictly ({@link Bodies}), runs
 * (or, for {@code status}, reads), and returns the report; a caller who may not call it is answered
 * {@code NOT_AUTHORIZED} before anything is read, a configuration that does not load
 * {@code INVALID_CONFIG}, a sync it does not have {@code UNKNOWN_SYNC}.
 */
public final class FunctionCalls {

    /** Who may call each function, by name (README, "Who may call what"); a name not here is no function. */
    static final Map<String, Access> ACCESS = java.util.Arrays.stream(FunctionName.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(FunctionName::wire, FunctionName::access));

    /** The names callers use ({@link FunctionName}). */
    public static final Set<String> NAMES = FunctionName.names();

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

    /**
     * Any function by name, its answer as the transport serializes it: a run report, or {@code status}'s
     * {@link StatusReport}.
     */
    public Object answer(String function, JsonNode body, CallContext ctx) {
        refuseOversize(ctx.rawBody().length);
        FunctionName f = FunctionName.of(function)
                .orElseThrow(() -> new RequestException(404, "INVALID_REQUEST", "no such function: " + function));
        if (f.access() == Access.OPERATOR) {
            operators.authorize(function, ctx); // from the headers alone: nothing is read for a caller refused
        }
        return answered(() -> switch (f) {
            case SYNC -> manual(Bodies.sync(body, false), ctx);
            case PLAN -> manual(Bodies.sync(body, true), ctx);
            case IMPORT -> manual(Bodies.importing(body), ctx);
            case REMOVE -> manual(Bodies.remove(body), ctx);
            case EVENT -> events.handle(body, ctx);
            case STATUS -> runner.status(runner.config(), Bodies.status(body));
        });
    }

    /** A function that answers a run report: all of them but {@code status}. */
    public RunReport call(String function, JsonNode body, CallContext ctx) {
        if (FunctionName.STATUS.wire().equals(function)) {
            throw new IllegalArgumentException("status answers a StatusReport: call status()");
        }
        return (RunReport) answer(function, body, ctx);
    }

    /** {@code status}: every sync's status, or one's; nothing is run or written. */
    public StatusReport status(JsonNode body, CallContext ctx) {
        return (StatusReport) answer(FunctionName.STATUS.wire(), body, ctx);
    }

    private RunReport manual(RunRequest r, CallContext ctx) {
        return runner.run(runner.config(), ctx.deadline().map(r::withDeadline).orElse(r));
    }

    /** What the run layer says in its own words, answered as the refusals callers know. */
    private static <T> T answered(Supplier<T> call) {
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
