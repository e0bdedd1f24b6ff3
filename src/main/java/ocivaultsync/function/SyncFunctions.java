package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ocivaultsync.reconcile.RunReport;

/** {@code sync} and {@code plan} (DESIGN §6): parse, run, return the report. */
@ApplicationScoped
public class SyncFunctions {

    @Inject
    SyncRunner runner;

    /** Runs one sync, or all when {@code sync} is absent. */
    @Funq("sync")
    public RunReport sync(JsonNode body) {
        return runner.run(SyncRequests.parse(body, false));
    }

    /** What {@code sync} would do, with no write: {@code sync} with {@code dryRun: true}. */
    @Funq("plan")
    public RunReport plan(JsonNode body) {
        return runner.run(SyncRequests.parse(body, true));
    }
}
