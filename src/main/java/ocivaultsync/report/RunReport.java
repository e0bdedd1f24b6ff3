package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The response body of every function, and what a run logs (README, 'Calling it'). Holds no value, ever. */
@JsonPropertyOrder({"runId", "trigger", "dryRun", "syncs"})
public record RunReport(String runId, Trigger trigger, boolean dryRun, List<SyncReport> syncs) {

    public RunReport {
        syncs = List.copyOf(syncs);
    }
}
