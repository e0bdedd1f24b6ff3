package ocivaultsync.apply;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SecretVersion;

/**
 * The vault operations a sync needs, and nothing more (ESO keeps its ports as narrow). The OCI SDK adapter implements
 * it; tests that are about pure logic may implement it in memory. Every method throws {@link VaultException} on
 * failure.
 */
public interface VaultPort {

    /** Every secret of the vault in the compartment, in every state, following every page. */
    List<DestinationSecret> list(Destination target);

    /** The secrets holding one name (after a create met "name already exists"). */
    List<DestinationSecret> findByName(Destination target, String name);

    /** Creates a secret with a value and tags; answers its OCID. Retries of one call must not create twice. */
    String create(Destination target, String name, SecretValue value, Map<String, String> tags);

    /** The secret as GetSecret shows it now, with the etag a conditional write must carry. */
    Versioned get(String secretId);

    /**
     * Replaces the tags and, when {@code value} is not null, writes a new current version, only if the secret's etag
     * is still {@code ifMatch} (OCI answers 412 otherwise: {@link VaultException.Kind#CONFLICT}). Answers the secret's
     * current version number afterwards (0 when the port cannot tell), which version hygiene goes by.
     */
    long update(String secretId, SecretValue value, Map<String, String> tags, String ifMatch);

    void scheduleDeletion(String secretId, Instant timeOfDeletion);

    void cancelDeletion(String secretId);

    /** The value of the current version. */
    SecretValue readCurrent(String secretId);

    /**
     * A secret read by GetSecret, and the etag of that read.
     *
     * @param currentVersion the number of its current version (0 when unknown)
     */
    record Versioned(DestinationSecret secret, String etag, long currentVersion) {
    }

    /**
     * OCI's own clock, as its last answer said (the HTTP {@code Date} header) plus the time elapsed since: what
     * deletion windows are measured from, so a container whose clock is off never asks for one OCI refuses. Empty
     * when no answer said.
     */
    default java.util.Optional<Instant> serverNow() {
        return java.util.Optional.empty();
    }

    /** Every version of a secret, following every page (for version hygiene). */
    default List<SecretVersion> listVersions(String secretId) {
        return List.of();
    }

    /** Schedules the deletion of one (DEPRECATED) version. */
    default void scheduleVersionDeletion(String secretId, long versionNumber, Instant timeOfDeletion) {
        throw new VaultException(VaultException.Kind.INVALID, 0, "NotSupported",
                "this vault port cannot delete versions", null);
    }
}
