package ocivaultsync.reconcile;

import java.util.Optional;

/** What the initial run does with destination secrets that fit the key schema (F3, docs/ARCHITECTURE.md, 'Reconcile
* rules'). */
public enum InitialSyncBehavior {
    /** Adopt them; the source's values replace theirs; those the source lacks are deleted (guard and F6 apply). */
    OVERWRITE_DESTINATION("overwrite-destination"),
    /** First write the ones whose key the source lacks into the source, then sync as usual. */
    IMPORT_PRIORITIZE_SOURCE("import-prioritize-source"),
    /** As above, and where both hold a key with different values, the destination's value goes into the source. */
    IMPORT_PRIORITIZE_DESTINATION("import-prioritize-destination");

    private final String wire;

    InitialSyncBehavior(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean imports() {
        return this != OVERWRITE_DESTINATION;
    }

    public static Optional<InitialSyncBehavior> fromWire(String value) {
        for (InitialSyncBehavior b : values()) {
            if (b.wire.equals(value)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
