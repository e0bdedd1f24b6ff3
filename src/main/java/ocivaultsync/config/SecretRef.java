package ocivaultsync.config;

/**
 * Where a piece of secret material comes from: an OCI Vault secret ({@code {secretId: ...}}) or, for local use only,
 * the value itself ({@code {value: ...}}).
 */
public sealed interface SecretRef {

    /** A reference to an OCI Vault secret, read through the Secrets API. */
    record VaultSecret(String secretId) implements SecretRef {
        @Override
        public String toString() {
            return "{secretId: " + secretId + "}";
        }
    }

    /** A value written in the configuration. Never printed. */
    record Inline(String value) implements SecretRef {
        @Override
        public String toString() {
            return "{value: ***}";
        }
    }
}
