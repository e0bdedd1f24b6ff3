package ocivaultsync.reconcile;

import java.time.Instant;
import java.util.Set;

/**
 * One version of a secret as ListSecretVersions shows it: its number, its rotation stages ({@code CURRENT},
 * {@code PREVIOUS}, {@code DEPRECATED}, {@code LATEST}, {@code PENDING}) and, once scheduled, its deletion time. No
 * value.
 */
public record SecretVersion(long number, Set<String> stages, Instant timeOfDeletion) {

    public SecretVersion {
        stages = stages == null ? Set.of() : Set.copyOf(stages);
    }

    /** Counts against OCI's limit of versions in active use. */
    public boolean inUse() {
        return timeOfDeletion == null;
    }

    /** Only a DEPRECATED version may be scheduled for deletion; CURRENT, PREVIOUS, LATEST and PENDING may not. */
    public boolean deletable() {
        return inUse() && stages.contains("DEPRECATED") && !stages.contains("CURRENT") && !stages.contains("PREVIOUS")
                && !stages.contains("LATEST") && !stages.contains("PENDING");
    }
}
