package ocivaultsync.reconcile;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the user last asked of a sync (docs/ARCHITECTURE.md, "State kept in OCI"): every pass, whatever started it,
 * reconciles toward it. Only a manual operation changes it.
 */
public enum Mode {
    /** The vault follows the source ({@code sync}, {@code import}; also a sync nobody has asked anything of yet). */
    ACTIVE("active"),
    /** The sync's secrets stay scheduled for deletion ({@code remove}) until a manual {@code sync} or {@code import}. */
    REMOVED("removed");

    private final String wire;

    Mode(String wire) {
        this.wire = wire;
    }

    /** The value of the state secret's {@code ovs_mode} tag. */
    public String wire() {
        return wire;
    }

    static Optional<Mode> ofWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(value)).findFirst();
    }

    /** The mode a manual operation records: a remove removes, anything else makes the sync active. */
    public static Mode of(Operation op) {
        return op == Operation.REMOVE ? REMOVED : ACTIVE;
    }
}
