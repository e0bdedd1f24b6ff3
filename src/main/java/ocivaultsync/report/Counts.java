package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Reason;

/**
 * A sync's counts. Each result counts once: under its action while PLANNED or DONE, else under its status, so the
 * counts always add up to the number of names considered.
 */
@JsonPropertyOrder({"create", "update", "none", "delete", "restore", "import", "deferred", "blocked", "skipped",
        "failed"})
public record Counts(int create, int update, int none, int delete, int restore,
        @JsonProperty("import") int imported, int deferred, int blocked, int skipped, int failed) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static Counts of(List<PlannedChange> changes) {
        int[] n = new int[10];
        for (PlannedChange c : changes) {
            n[slot(c)]++;
        }
        return new Counts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]);
    }

    private static int slot(PlannedChange c) {
        return switch (c.status()) {
            case PLANNED, DONE -> switch (c.action()) {
                case CREATE -> 0;
                case UPDATE -> 1;
                case NONE -> 2;
                case DELETE -> 3;
                case RESTORE -> 4;
                case IMPORT -> 5;
            };
            // A RESTORE whose cancel succeeded waits only for its value: it counts as the restore it is.
            case DEFERRED -> c.action() == Action.RESTORE && c.reason() == Reason.RESTORED_WRITE_LATER ? 4 : 6;
            case BLOCKED -> 7;
            case SKIPPED -> 8;
            case FAILED -> 9;
        };
    }

    public int total() {
        return create + update + none + delete + restore + imported + deferred + blocked + skipped + failed;
    }
}
