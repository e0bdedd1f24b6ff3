package ocivaultsync.config;

/**
 * Reads the text of an OCI Vault secret (the {@code OVS_CONFIG_SECRET_ID} document, or a {@code {secretId: ...}}
 * reference). The {@code oci} package implements it over the Secrets API; tests may pass a lambda.
 */
@FunctionalInterface
public interface ConfigSecretReader {

    /**
     * @throws RuntimeException when the secret cannot be read; its message must name the secret, never a value
     */
    String read(String secretId);
}
