package ocivaultsync.config;

/** What an OCI event on the configuration secret needs of the configuration holder. */
public interface ConfigControl {

    /** Whether the configuration lives in the OCI Vault secret with this OCID. */
    boolean isConfigSecret(String secretId);

    /** Forget the cached configuration; the next run reads it again. */
    void invalidate();
}
