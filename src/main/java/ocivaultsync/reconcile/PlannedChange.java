package ocivaultsync.reconcile;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of a {@link Plan}: what happens to one destination name. It never holds a value; the executor takes the
 * value of {@code key} from the source snapshot when it writes.
 *
 * @param key               the source key ({@code null} when neither the source, the {@code ovs_key} tag nor the
 *                          schema names one)
 * @param name              the OCI secret name
 * @param action            what to do; the executor branches on this alone
 * @param status            {@link ResultStatus#PLANNED} when there is something to carry out, else the final status
 *                          (DEFERRED, BLOCKED, SKIPPED, FAILED, or DONE for NONE)
 * @param reason            why, for reports
 * @param detail            specifics appended to the reason (a state, counts, an error), or {@code null}
 * @param secretId          the destination secret's OCID; {@code null} for CREATE
 * @param writesContent     for CREATE/UPDATE: whether the source value is written (a new version); false for a
 *                          tags-only update
 * @param tags              the complete freeform tags to write (CREATE, UPDATE, IMPORT), else empty
 * @param restoreCompletes  for RESTORE: the secret already holds the desired value, so cancelling is all there is
 * @param sourceVersion     the source's version of the key, for reports
 */
public record PlannedChange(String key, String name, Action action, ResultStatus status, Reason reason, String detail,
        String secretId, boolean writesContent, Map<String, String> tags, boolean restoreCompletes,
        String sourceVersion) {

    public PlannedChange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** The report's reason text: the reason, then the detail. */
    public String reasonText() {
        return detail == null ? reason.text() : reason.text() + ": " + detail;
    }

    /** Whether the executor has something to carry out. */
    public boolean isPending() {
        return status == ResultStatus.PLANNED && action.isMutation();
    }

    /** The same change with another status and detail (the guard blocking a deletion, say). */
    public PlannedChange with(ResultStatus newStatus, Reason newReason, String newDetail) {
        return new PlannedChange(key, name, action, newStatus, newReason, newDetail, secretId, writesContent, tags,
                restoreCompletes, sourceVersion);
    }
}
