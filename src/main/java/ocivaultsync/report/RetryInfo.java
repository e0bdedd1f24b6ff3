package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** When the deferred part of a sync runs again: attempt number and ISO-8601 instant. */
@JsonPropertyOrder({"attempt", "notBefore"})
public record RetryInfo(int attempt, String notBefore) {
}
