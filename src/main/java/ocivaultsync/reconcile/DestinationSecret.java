package ocivaultsync.reconcile;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One secret as ListSecrets shows it: identity, state, tags and when OCI created it. No value: a list page carries
 * none.
 *
 * @param timeCreated OCI's creation time; null when unknown (a secret this pass created itself)
 */
public record DestinationSecret(String id, String name, LifecycleState state, Map<String, String> freeformTags,
        Instant timeOfDeletion, Instant timeCreated) {

    /** A secret whose creation time is not known. */
    public DestinationSecret(String id, String name, LifecycleState state, Map<String, String> freeformTags,
            Instant timeOfDeletion) {
        this(id, name, state, freeformTags, timeOfDeletion, null);
    }

    public DestinationSecret {
        freeformTags = freeformTags == null ? Map.of() : Map.copyOf(freeformTags);
    }

    /** The sync named in the {@code ovs_sync} tag, if any. */
    Optional<String> ownerSync() {
        return Optional.ofNullable(freeformTags.get(OwnershipTags.SYNC));
    }

    /** Whether this is a sync's state secret rather than a secret holding a value of the source. */
    public boolean isStateSecret() {
        return freeformTags.containsKey(OwnershipTags.STATE);
    }

    /** Whether this is the state secret of {@code sync}. */
    public boolean isStateOf(String sync) {
        return sync.equals(freeformTags.get(OwnershipTags.STATE));
    }

    public Optional<Fingerprint> fingerprint() {
        return Fingerprint.parse(freeformTags.get(OwnershipTags.FINGERPRINT));
    }

    Optional<String> keyTag() {
        return Optional.ofNullable(freeformTags.get(OwnershipTags.KEY));
    }
}
