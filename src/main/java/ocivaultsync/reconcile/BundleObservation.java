package ocivaultsync.reconcile;

/**
 * What reading a destination secret's current bundle showed: the fingerprint of its value (computed by the shell
 * under the current key), or why it could not be read. The value itself never reaches the planner.
 */
public sealed interface BundleObservation {

    record Read(Fingerprint fingerprint) implements BundleObservation {
    }

    record Unreadable(String reason) implements BundleObservation {
    }
}
