package ocivaultsync.reconcile;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything about a sync and a request that changes what the planner decides.
 *
 * @param sync                   the sync's name (the value of the {@code ovs_sync} tag)
 * @param environment            the source environment, for {@code {{environment}}}
 * @param keySchema              the key schema; empty means names are source keys
 * @param initialSyncBehavior    F3
 * @param disableSecretDeletion  F6
 * @param deletionDelayDays      the deletion window, 1..30
 * @param guard                  F14
 * @param force                  let deletions past the guard
 * @param verify                 fast or deep comparison
 * @param deepSecretIds          secrets to check deeply even in a fast pass (an OCI event on them)
 * @param claims                 the fingerprint key(s): fingerprints, and the claims that make a secret the sync's
 * @param protectedSecretIds     secrets the product itself depends on (its configuration, the fingerprint key,
 *                               credentials): never adopted, updated or deleted, even when their names fit
 */
public record SyncPolicy(String sync, String environment, Optional<KeySchema> keySchema,
        InitialSyncBehavior initialSyncBehavior, boolean disableSecretDeletion, int deletionDelayDays,
        DeletionGuard guard, boolean force, Verify verify, Set<String> deepSecretIds, Claims claims,
        Set<String> protectedSecretIds) {

    public SyncPolicy {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(keySchema, "keySchema");
        Objects.requireNonNull(initialSyncBehavior, "initialSyncBehavior");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(claims, "claims");
        deepSecretIds = deepSecretIds == null ? Set.of() : Set.copyOf(deepSecretIds);
        protectedSecretIds = protectedSecretIds == null ? Set.of() : Set.copyOf(protectedSecretIds);
        if (deletionDelayDays < VaultLimits.MIN_DELETION_DAYS || deletionDelayDays > VaultLimits.MAX_DELETION_DAYS) {
            throw new IllegalArgumentException("deletionDelayDays must be 1..30");
        }
    }

    /** Whether {@code s} is this sync's own: tagged so, under a claim that verifies. */
    boolean owns(DestinationSecret s) {
        return claims.owns(s, sync);
    }

    /** The destination name of a source key. */
    public String nameFor(String key) {
        return keySchema.map(s -> s.render(key, environment)).orElse(key);
    }

    /** The source key a destination name stands for, when it fits the schema. */
    Optional<String> keyFor(String name) {
        return keySchema.isPresent() ? keySchema.get().reverse(name, environment) : Optional.of(name);
    }
}
