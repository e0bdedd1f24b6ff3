package ocivaultsync.reconcile;

/** How a pass compares destination values with the source (docs/ARCHITECTURE.md, 'Reconcile rules'). */
public enum Verify {
    /** Trust the {@code ovs_fp} tags: a steady-state pass reads no secret at all. */
    FAST,
    /** Read the bundle of every managed ACTIVE secret and repair out-of-band edits. */
    DEEP
}
