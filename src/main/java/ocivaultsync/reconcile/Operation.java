package ocivaultsync.reconcile;

import java.util.Arrays;
import java.util.Optional;

/** What a plan is for. */
public enum Operation {
    /** A sync pass (docs/ARCHITECTURE.md, 'Reconcile rules'). */
    SYNC("sync"),
    /** F9 import: values the source lacks go into it from the vault. */
    IMPORT_PRIORITIZE_SOURCE("import-prioritize-source"),
    /** F9 import: as above, and where the values differ the vault's goes into the source. */
    IMPORT_PRIORITIZE_DESTINATION("import-prioritize-destination"),
    /** F9 remove: schedule the deletion of every secret the sync owns (ignores F6, as Infisical does). */
    REMOVE("remove");

    private final String wire;

    Operation(String wire) {
        this.wire = wire;
    }

    /** The name retry messages and the state secret's {@code ovs_op} tag use. */
    public String wire() {
        return wire;
    }

    /** The operation of that wire name. */
    public static Optional<Operation> ofWire(String name) {
        return Arrays.stream(values()).filter(o -> o.wire.equals(name)).findFirst();
    }
}
