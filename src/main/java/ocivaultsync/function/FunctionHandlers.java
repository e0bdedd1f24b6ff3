package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import ocivaultsync.reconcile.RunReport;

/**
 * The functions of DESIGN §6, independent of how the call arrived (Funqy over HTTP, or the Fn {@code /call} route).
 * Each parses its body strictly, runs, and returns the report.
 */
public final class FunctionHandlers {

    /** The names callers use. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("sync", "plan", "import", "remove", "event");

    private final SyncRunner runner;
    private final EventHandler events;

    public FunctionHandlers(SyncRunner runner, EventHandler events) {
        this.runner = runner;
        this.events = events;
    }

    public RunReport call(String function, JsonNode body, CallContext ctx) {
        return switch (function) {
            case "sync" -> runner.run(deadline(SyncRequests.parse(body, false), ctx));
            case "plan" -> runner.run(deadline(SyncRequests.parse(body, true), ctx));
            case "import" -> runner.run(deadline(SyncRequests.parseImport(body), ctx));
            case "remove" -> runner.run(deadline(SyncRequests.parseRemove(body), ctx));
            case "event" -> events.handle(body, ctx, deadline(RunRequest.manual(null, false), ctx));
            default -> throw new RequestException(404, "INVALID_REQUEST", "no such function: " + function);
        };
    }

    private static RunRequest deadline(RunRequest r, CallContext ctx) {
        Optional<Instant> d = ctx.deadline();
        return d.isPresent() ? r.withDeadline(d.get()) : r;
    }
}
