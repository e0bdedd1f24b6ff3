package ocivaultsync.emulator;

/** Secret lifecycle states, spelled as the API spells them (docs/EMULATOR.md, 'The OCI API it serves'). */
public enum SecretState {
    CREATING, ACTIVE, UPDATING, DELETING, DELETED, SCHEDULING_DELETION, PENDING_DELETION, CANCELLING_DELETION, FAILED
}
