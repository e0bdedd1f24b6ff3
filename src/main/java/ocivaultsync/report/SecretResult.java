package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.ResultStatus;

/**
 * One name's line in a report. Never a value.
 *
 * @param sourceVersion the source's version of the key (Infisical's secret version), when the source has one; left
 *                      out of the JSON otherwise
 */
@JsonPropertyOrder({"key", "name", "action", "status", "reason", "sourceVersion"})
public record SecretResult(String key, String name, Action action, ResultStatus status, String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String sourceVersion) {

    public static SecretResult of(PlannedChange c) {
        return new SecretResult(c.key(), c.name(), c.action(), c.status(), c.reasonText(), c.sourceVersion());
    }
}
