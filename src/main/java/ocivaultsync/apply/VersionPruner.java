package ocivaultsync.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.SecretVersion;
import ocivaultsync.reconcile.VaultLimits;

/**
 * Version hygiene: an update that wrote a new version answers its number; once that reaches {@code keepVersions} (or
 * is unknown), the secret is due for pruning. OCI refuses a version deletion while the secret is UPDATING, which it is
 * right after the update, so the prune runs in a later pass of this container that lists the secret ACTIVE
 * ({@link #pruneDue}): the oldest DEPRECATED versions are scheduled for deletion with the shortest window, down to
 * {@code keepVersions} in use. An update that meets OCI's limit anyway (a new container, which does not know what is
 * due) prunes and tries once more ({@link #pruneForLimit}). A steady pass with nothing due costs nothing more.
 */
final class VersionPruner {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(VersionPruner.class);

    /** A little over the shortest window, so the time a request spends in flight never puts it under the minimum. */
    private static final Duration VERSION_DELETION_MARGIN = Duration.ofMinutes(5);

    private final VaultPort vault;
    private final Clock clock;
    private final Executor.PruneDue due;

    VersionPruner(VaultPort vault, Clock clock, Executor.PruneDue due) {
        this.vault = vault;
        this.clock = clock;
        this.due = due;
    }

    /** After {@code sync}'s update that wrote version {@code version} (0 or less: unknown). */
    void updated(String sync, String secretId, long version, int keepVersions) {
        if (keepVersions > 0 && (version <= 0 || version >= keepVersions)) {
            due.ids.put(secretId, sync);
        }
    }

    /**
     * An update met OCI's limit of versions in use: the secret is ACTIVE (it refused the update), so prune one below
     * {@code keepVersions} for the new version to fit. Answers whether the update may be tried once more.
     */
    boolean pruneForLimit(String secretId, int keepVersions, Instant deadline) {
        return keepVersions > 0 && !clock.instant().isAfter(deadline)
                && pruneVersions(secretId, keepVersions - 1, deadline) == null;
    }

    /**
     * Prunes the listed secrets {@code sync} made due that it still owns and that are ACTIVE (a secret still UPDATING
     * waits for a later pass), with its own {@code keepVersions}; a secret taken out of its management is forgotten,
     * and one another sync made due is that sync's to prune. Never starts a call after the deadline. A failure leaves
     * the secret due; the value is written either way.
     */
    void pruneDue(String sync, List<DestinationSecret> listing, int keepVersions, Instant deadline) {
        if (keepVersions <= 0 || !due.ids.containsValue(sync)) {
            return;
        }
        for (DestinationSecret s : listing) {
            if (!sync.equals(due.ids.get(s.id()))) {
                continue;
            }
            if (!sync.equals(s.freeformTags().get(OwnershipTags.SYNC)) || s.isStateSecret()) {
                due.ids.remove(s.id(), sync);
                continue;
            }
            if (s.state() != LifecycleState.ACTIVE) {
                continue;
            }
            if (clock.instant().isAfter(deadline)) {
                return;
            }
            String problem = pruneVersions(s.id(), keepVersions, deadline);
            if (problem == null) {
                due.ids.remove(s.id(), sync);
            } else {
                LOG.debugf("old versions of %s not pruned yet: %s", s.name(), problem);
            }
        }
    }

    /**
     * Schedules the deletion of the oldest DEPRECATED versions beyond {@code keep} versions in use; answers why it
     * could not, or null.
     */
    private String pruneVersions(String secretId, int keep, Instant deadline) {
        try {
            List<SecretVersion> versions = vault.listVersions(secretId);
            long inUse = versions.stream().filter(SecretVersion::inUse).count();
            List<SecretVersion> oldest = versions.stream().filter(SecretVersion::deletable)
                    .sorted(Comparator.comparingLong(SecretVersion::number)).toList();
            Instant when = vault.serverNow().orElseGet(clock::instant)
                    .plus(Duration.ofDays(VaultLimits.MIN_DELETION_DAYS))
                    .plus(VERSION_DELETION_MARGIN);
            for (int i = 0; i < oldest.size() && inUse > keep; i++, inUse--) {
                if (clock.instant().isAfter(deadline)) {
                    return "the invocation's time budget ran out";
                }
                vault.scheduleVersionDeletion(secretId, oldest.get(i).number(), when);
            }
            return null;
        } catch (VaultException e) {
            return e.describe();
        }
    }
}
