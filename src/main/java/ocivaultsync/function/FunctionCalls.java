package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The functions, independent of how the call arrived (Funqy over HTTP, or the Fn {@code /call} route). Each parses its
 * body strictly ({@link Bodies}), runs, and returns the report; a configuration that does not load answers
 * {@code INVALID_CONFIG}, a sync it does not have {@code UNKNOWN_SYNC}.
 */
public final class FunctionCalls {

    /** The names callers use. */
    public static final Set<String> NAMES = Set.of("sync", "plan", "import", "remove", "event");

    private final SyncRunner runner;
    private final EventHandler events;
    private final GatewayWebhook gateway;

    /** Without signing-key secrets: every call through API Gateway is refused. */
    public FunctionCalls(SyncRunner runner, EventHandler events) {
        this(runner, events, new GatewayWebhook(runner, java.util.List.of(), id -> null,
                new WebhookVerifier(java.time.Clock.systemUTC())));
    }

    public FunctionCalls(SyncRunner runner, EventHandler events, GatewayWebhook gateway) {
        this.runner = runner;
        this.events = events;
        this.gateway = gateway;
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
