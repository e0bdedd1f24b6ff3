package ocivaultsync.reconcile;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One name's line in a report. Never a value. */
@JsonPropertyOrder({"key", "name", "action", "status", "reason"})
public record SecretResult(String key, String name, Action action, ResultStatus status, String reason) {

    public static SecretResult of(PlannedChange c) {
        return new SecretResult(c.key(), c.name(), c.action(), c.status(), c.reasonText());
    }
}
