package ocivaultsync.config;

import java.util.Optional;
import ocivaultsync.reconcile.DeletionGuard;
import ocivaultsync.reconcile.InitialSyncBehavior;
import ocivaultsync.reconcile.KeySchema;

/** A sync's options (F3–F6, F14), with their defaults already applied. */
public record SyncOptions(InitialSyncBehavior initialSyncBehavior, Optional<KeySchema> keySchema, boolean autoSync,
        boolean disableSecretDeletion, int deletionDelayDays, DeletionGuard deletionGuard) {

    /** OCI's own default window, the longest: the most time to notice and cancel a deletion. */
    public static final int DEFAULT_DELETION_DELAY_DAYS = 30;

    public static SyncOptions defaults() {
        return new SyncOptions(InitialSyncBehavior.OVERWRITE_DESTINATION, Optional.empty(), true, false,
                DEFAULT_DELETION_DELAY_DAYS, DeletionGuard.DEFAULT);
    }
}
