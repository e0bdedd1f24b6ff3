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

    // The factories below name the ways a change comes about, so a caller says what it plans instead of lining up
    // eleven positional arguments (three of them booleans or nulls that read alike). Each takes the key, the name and
    // the secret's OCID first, then what sets that kind of change apart, then why: reason, detail, source version.

    /** A new secret holding the source value under {@code tags}. */
    public static PlannedChange create(String key, String name, Map<String, String> tags, Reason reason,
            String sourceVersion) {
        return new PlannedChange(key, name, Action.CREATE, ResultStatus.PLANNED, reason, null, null, true, tags, false,
                sourceVersion);
    }

    /** The source value written into an existing secret as a new version, with {@code tags}. */
    public static PlannedChange update(String key, String name, String secretId, Map<String, String> tags,
            Reason reason, String detail, String sourceVersion) {
        return new PlannedChange(key, name, Action.UPDATE, ResultStatus.PLANNED, reason, detail, secretId, true, tags,
                false, sourceVersion);
    }

    /** An update that writes only {@code tags}: the secret already holds the source value, so no new version. */
    static PlannedChange retag(String key, String name, String secretId, Map<String, String> tags,
            Reason reason, String detail, String sourceVersion) {
        return new PlannedChange(key, name, Action.UPDATE, ResultStatus.PLANNED, reason, detail, secretId, false, tags,
                false, sourceVersion);
    }

    /**
     * The cancellation of a pending deletion; {@code completes} when the secret already holds the desired value, so
     * cancelling is all there is to do.
     */
    static PlannedChange restore(String key, String name, String secretId, boolean completes, Reason reason,
            String detail, String sourceVersion) {
        return new PlannedChange(key, name, Action.RESTORE, ResultStatus.PLANNED, reason, detail, secretId, false,
                Map.of(), completes, sourceVersion);
    }

    /** A deletion to schedule. */
    public static PlannedChange delete(String key, String name, String secretId, Reason reason, String detail) {
        return new PlannedChange(key, name, Action.DELETE, ResultStatus.PLANNED, reason, detail, secretId, false,
                Map.of(), false, null);
    }

    /** The destination's value written into the source, and the secret retagged with {@code tags}. */
    static PlannedChange importToSource(String key, String name, String secretId, Map<String, String> tags,
            Reason reason) {
        return new PlannedChange(key, name, Action.IMPORT, ResultStatus.PLANNED, reason, null, secretId, false, tags,
                false, null);
    }

    /** Nothing to do, and that is the final word: {@link Action#NONE}, {@link ResultStatus#DONE}. */
    public static PlannedChange none(String key, String name, String secretId, Reason reason, String detail,
            String sourceVersion) {
        return new PlannedChange(key, name, Action.NONE, ResultStatus.DONE, reason, detail, secretId, false, Map.of(),
                false, sourceVersion);
    }

    /** An {@code action} that must wait for a later pass. */
    public static PlannedChange deferred(String key, String name, Action action, String secretId, Reason reason,
            String detail, String sourceVersion) {
        return new PlannedChange(key, name, action, ResultStatus.DEFERRED, reason, detail, secretId, false, Map.of(),
                false, sourceVersion);
    }

    /** An {@code action} this sync will not take (not an error: the report counts it as skipped). */
    public static PlannedChange skipped(String key, String name, Action action, String secretId, Reason reason,
            String detail, String sourceVersion) {
        return new PlannedChange(key, name, action, ResultStatus.SKIPPED, reason, detail, secretId, false, Map.of(),
                false, sourceVersion);
    }

    /** An {@code action} that cannot be taken. */
    public static PlannedChange failed(String key, String name, Action action, String secretId, Reason reason,
            String detail) {
        return new PlannedChange(key, name, action, ResultStatus.FAILED, reason, detail, secretId, false, Map.of(),
                false, null);
    }

    /** The report's reason text: the reason, then the detail. */
    public String reasonText() {
        return detail == null ? reason.text() : reason.text() + ": " + detail;
    }

    /** Whether the executor has something to carry out. */
    public boolean isPending() {
        return status == ResultStatus.PLANNED && action.isMutation();
    }

    /** The same change, carried out: DONE, with the OCID the vault gave (a create learns its secret's id here). */
    public PlannedChange done(String newSecretId) {
        return new PlannedChange(key, name, action, ResultStatus.DONE, reason, detail, newSecretId, writesContent, tags,
                restoreCompletes, sourceVersion);
    }

    /** The same decision for another source key: each key of a name collision learns its own failure. */
    PlannedChange forKey(String newKey, String newSourceVersion) {
        return new PlannedChange(newKey, name, action, status, reason, detail, secretId, writesContent, tags,
                restoreCompletes, newSourceVersion);
    }

    /** The same change with another status and detail (the guard blocking a deletion, say). */
    public PlannedChange with(ResultStatus newStatus, Reason newReason, String newDetail) {
        return new PlannedChange(key, name, action, newStatus, newReason, newDetail, secretId, writesContent, tags,
                restoreCompletes, sourceVersion);
    }
}
