package ocivaultsync.reconcile;

/**
 * A destination secret's lifecycle state, as OCI Vault reports it (docs/EMULATOR.md, 'The OCI API it serves').
 *
 * <p>{@link #UNKNOWN} stands for a value this version does not know (the SDK maps new enum values to
 * {@code UnknownEnumValue}); the planner never writes to a secret in a state it does not understand.
 */
public enum LifecycleState {
    CREATING, ACTIVE, UPDATING, DELETING, DELETED, SCHEDULING_DELETION, PENDING_DELETION, CANCELLING_DELETION, FAILED,
    UNKNOWN;

    /** States that end by themselves; a change to a secret in one of them is deferred, never waited for. */
    boolean isTransitional() {
        return switch (this) {
            case CREATING, UPDATING, SCHEDULING_DELETION, CANCELLING_DELETION, DELETING -> true;
            default -> false;
        };
    }

    /** Whether a secret in this state still holds its value (and counts in the managed set for the guard). */
    boolean isLive() {
        return switch (this) {
            case CREATING, ACTIVE, UPDATING, CANCELLING_DELETION -> true;
            default -> false;
        };
    }

    /** Parses OCI's wire spelling ({@code ACTIVE}, {@code PENDING_DELETION}); anything else is {@link #UNKNOWN}. */
    public static LifecycleState fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        for (LifecycleState s : values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
