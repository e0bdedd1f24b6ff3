package ocivaultsync.reconcile;

/** Where a change stands: planned (or dry run), done, or why it was not done. */
public enum ResultStatus {
    /** To be carried out; in a dry run, what would be carried out. */
    PLANNED,
    /** Carried out (for NONE: nothing needed doing). */
    DONE,
    /** Blocked by a lifecycle state; retried by a later pass. */
    DEFERRED,
    /** Withheld on purpose: the deletion guard, an approval policy in the source. */
    BLOCKED,
    /** Not applicable: an empty value OCI cannot store. */
    SKIPPED,
    /** Could not be done; the reason says why. Other secrets proceed. */
    FAILED
}
