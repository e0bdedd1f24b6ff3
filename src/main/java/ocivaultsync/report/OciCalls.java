package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** OCI calls a sync made: list pages, bundle reads, writes (create, update, schedule/cancel deletion). */
@JsonPropertyOrder({"list", "read", "write"})
public record OciCalls(long list, long read, long write) {

    public static final OciCalls NONE = new OciCalls(0, 0, 0);
}
