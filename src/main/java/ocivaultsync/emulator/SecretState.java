package ocivaultsync.emulator;

/** Secret lifecycle states, spelled as the API spells them (oci-vault-api.md §3.3). */
public enum SecretState {
    CREATING, ACTIVE, UPDATING, DELETING, DELETED, SCHEDULING_DELETION, PENDING_DELETION, CANCELLING_DELETION, FAILED
}
