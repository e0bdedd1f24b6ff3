package ocivaultsync.reconcile;

/**
 * Why a change was planned or not, for reports only: the executor never branches on it (as Terraform's
 * {@code ActionReason}). The text is what the report's {@code reason} field starts with.
 */
public enum Reason {
    MISSING_IN_DESTINATION("not in the destination"),
    VALUE_CHANGED("the source value changed"),
    DRIFT("the destination value was changed outside the sync"),
    FINGERPRINT_REKEYED("value unchanged; fingerprint refreshed under the current key"),
    ADOPTED("adopted by the initial sync"),
    UP_TO_DATE("up to date"),
    NOT_IN_SOURCE("no longer in the source"),
    EMPTY_IN_SOURCE("the source value is empty and OCI Vault cannot store an empty secret"),
    DELETION_DISABLED("not in the source, but secret deletion is disabled for this sync"),
    RESTORE_PENDING_DELETION("pending deletion but still in the source: deletion is cancelled"),
    ALREADY_DELETING("not in the source and already on its way out"),
    IN_TRANSITION("the secret is in a transitional state; retried on a later pass"),
    UNUSABLE_STATE("the secret is in a state that cannot be synced"),
    NAME_HELD("name held by a secret this sync does not own"),
    FALSE_CLAIM("tagged as this sync's, but the claim of its tags does not verify: tagged by someone else, or under a "
            + "fingerprint key this function no longer has"),
    UNTAGGED_DELETION("an untagged secret the source lacks: the initial run deletes it only when a manual sync is "
            + "forced"),
    NAME_AMBIGUOUS("several secrets in the vault hold this name"),
    INVALID_NAME("the name is not a valid OCI secret name"),
    NAME_COLLISION("several source secrets map to this name"),
    NO_KEY("no source key: the secret has no ovs_key tag and its name does not fit the key schema"),
    NAME_TAKEN("another writer took the name during the pass"),
    TOO_LARGE("the value is larger than OCI Vault allows"),
    GUARD_EMPTY_SOURCE("deletion withheld by the guard: the source returned no secrets; run with force to delete"),
    GUARD_TOO_MANY("deletion withheld by the guard: too many deletions at once; run with force to delete"),
    IMPORT_MISSING_IN_SOURCE("the source lacks this key: the destination value is imported into the source"),
    IMPORT_DESTINATION_WINS("the values differ and the destination wins: its value is imported into the source"),
    UNREADABLE("the current value could not be read"),
    REMOVE_REQUESTED("removal of the sync's secrets was requested"),
    RESTORED_WRITE_LATER("deletion cancelled; the value is written on a later pass, once the secret is ACTIVE"),
    STATE_CHANGED("the secret changed state since it was listed; retried on a later pass"),
    OUT_OF_TIME("the invocation's time budget ran out before this change; retried on a later pass"),
    VAULT_ERROR("OCI Vault refused the change"),
    SOURCE_WRITE_FAILED("the value could not be written into the source"),
    SOURCE_WRITE_BLOCKED("the source did not take the value");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
