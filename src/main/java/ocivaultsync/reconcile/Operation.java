package ocivaultsync.reconcile;

/** What a plan is for. */
public enum Operation {
    /** A sync pass (docs/ARCHITECTURE.md, 'Reconcile rules'). */
    SYNC,
    /** F9 import: values the source lacks go into it from the vault. */
    IMPORT_PRIORITIZE_SOURCE,
    /** F9 import: as above, and where the values differ the vault's goes into the source. */
    IMPORT_PRIORITIZE_DESTINATION,
    /** F9 remove: schedule the deletion of every secret the sync owns (ignores F6, as Infisical does). */
    REMOVE
}
