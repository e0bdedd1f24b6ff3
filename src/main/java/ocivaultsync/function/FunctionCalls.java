package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import ocivaultsync.report.RunReport;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.RunRequests;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.GatewayWebhook;
import ocivaultsync.trigger.WebhookVerifier;

/**
 * The functions, independent of how the call arrived (Funqy over HTTP, or the Fn {@code /call} route).
 * Each parses its body strictly, runs, and returns the report.
 */
public final class FunctionCalls {

    /** The names callers use. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("sync", "plan", "import", "remove", "event");

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
        return gateway.handle(function, ctx, deadline(RunRequest.manual(null, false), ctx));
    }

    public RunReport call(String function, JsonNode body, CallContext ctx) {
        refuseOversize(ctx.rawBody().length);
        return switch (function) {
            case "sync" -> runner.run(deadline(RunRequests.parse(body, false), ctx));
            case "plan" -> runner.run(deadline(RunRequests.parse(body, true), ctx));
            case "import" -> runner.run(deadline(SyncRequests.parseImport(body), ctx));
            case "remove" -> runner.run(deadline(SyncRequests.parseRemove(body), ctx));
            case "event" -> events.handle(body, ctx, deadline(RunRequest.manual(null, false), ctx));
            default -> throw new RequestException(404, "INVALID_REQUEST", "no such function: " + function);
        };
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

    private static RunRequest deadline(RunRequest r, CallContext ctx) {
        Optional<Instant> d = ctx.deadline();
        return d.isPresent() ? r.withDeadline(d.get()) : r;
    }
}
