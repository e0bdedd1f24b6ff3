package ocivaultsync.config;

import java.util.Optional;
import ocivaultsync.reconcile.DeletionGuard;
import ocivaultsync.reconcile.InitialSyncBehavior;
import ocivaultsync.reconcile.KeySchema;

/**
 * A sync's options (F3–F6, F14), with their defaults already applied.
 *
 * @param keepVersions             versions in use each secret keeps after an update (version hygiene); at least 2,
 *                                 since OCI never lets the CURRENT and PREVIOUS versions go
 * @param manageEverySecretInVault the sync means to manage every secret of its destination vault: required when the
 *                                 key schema has no literal part (or there is none), refused otherwise, so a sync
 *                                 never reaches a whole vault by default (docs/CONFIGURATION.md, "The configuration
 *                                 document")
 */
public record SyncOptions(InitialSyncBehavior initialSyncBehavior, Optional<KeySchema> keySchema, boolean autoSync,
        boolean disableSecretDeletion, int deletionDelayDays, DeletionGuard deletionGuard, int keepVersions,
        boolean manageEverySecretInVault) {

    /** Well under OCI's 30 versions in use, with room for versions a user adds by hand. */
    static final int DEFAULT_KEEP_VERSIONS = 10;
    static final int MIN_KEEP_VERSIONS = 2;
    /**
     * OCI keeps at most 30 versions of a secret in use, so a 31st never exists: keeping 30 would never prune, and the
     * 31st update would meet the limit. 29 leaves room for the version an update adds.
     */
    static final int MAX_KEEP_VERSIONS = 29;

    /** OCI's own default window, the longest: the most time to notice and cancel a deletion. */
    static final int DEFAULT_DELETION_DELAY_DAYS = 30;

    public static SyncOptions defaults() {
        return new SyncOptions(InitialSyncBehavior.OVERWRITE_DESTINATION, Optional.empty(), true, false,
                DEFAULT_DELETION_DELAY_DAYS, DeletionGuard.DEFAULT, DEFAULT_KEEP_VERSIONS, false);
    }
}
