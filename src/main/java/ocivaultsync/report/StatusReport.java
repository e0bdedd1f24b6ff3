package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The answer of the {@code status} function (README, "Calling it"): every sync's status as its state secret records
 * it, read from one listing of each destination vault. No value, no secret content: names, tags and counts only.
 */
@JsonPropertyOrder({"syncs"})
public record StatusReport(List<Sync> syncs) {

    public StatusReport {
        syncs = List.copyOf(syncs);
    }

    /**
     * One sync's status.
     *
     * @param mode                what every pass reconciles toward ({@code active} or {@code removed}); null when the
     *                            state secret's tag cannot be read
     * @param autoSync            events and schedules run it (the configuration's {@code autoSync})
     * @param outcome             the last pass's outcome; null when no pass has recorded one
     * @param since               since when that outcome holds (ISO-8601, OCI's clock); null when unknown
     * @param consecutiveFailures passes in a row that FAILED, were PARTIAL or BLOCKED
     * @param reason              why the last failing pass failed (redacted, at most 160 characters); null while
     *                            none fails
     * @param initialRunComplete  the sync's initial run has completed (it owns secrets and nothing of it is pending)
     * @param operation           the last manual operation recorded ({@code sync}, {@code remove}, …); null when none
     * @param operationOpen       that operation left work its retries are still doing
     * @param stateSecret         the name of the sync's state secret; null when it has none yet
     * @param error               why the status could not be read (the vault could not be listed); null otherwise
     */
    @JsonPropertyOrder({"name", "mode", "autoSync", "outcome", "since", "consecutiveFailures", "reason",
            "initialRunComplete", "operation", "operationOpen", "stateSecret", "error"})
    public record Sync(String name, String mode, boolean autoSync, PassOutcome outcome, String since,
            int consecutiveFailures, String reason, boolean initialRunComplete, String operation,
            boolean operationOpen, String stateSecret, String error) {

        /** A sync whose destination vault could not be listed. */
        public static Sync unreadable(String name, boolean autoSync, String error) {
            return new Sync(name, null, autoSync, null, null, 0, null, false, null, false, null, error);
        }
    }
}
