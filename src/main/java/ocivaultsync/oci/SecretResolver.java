package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.config.ConfigSecretReader;
import ocivaultsync.config.SecretRef;

/**
 * Resolves secret material: {@code {secretId: ...}} through the Secrets API (read once per container, then cached),
 * {@code {value: ...}} as given. Also reads the configuration document behind {@code OVS_CONFIG_SECRET_ID}.
 */
public final class SecretResolver implements ConfigSecretReader {

    /** A referenced secret could not be read; the message names the secret and OCI's code, never a value. */
    public static class UnreadableSecretException extends RuntimeException {
        UnreadableSecretException(String message) {
            super(message, null, false, false);
        }
    }

    private final OciClients clients;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public SecretResolver(OciClients clients) {
        this.clients = clients;
    }

    public String resolve(SecretRef ref) {
        if (ref instanceof SecretRef.Inline inline) {
            return inline.value();
        }
        return read(((SecretRef.VaultSecret) ref).secretId());
    }

    @Override
    public String read(String secretId) {
        return cache.computeIfAbsent(secretId, this::fetch);
    }

    /** Forgets a cached secret (its value changed: an OCI event on it, or a rotation). */
    public void invalidate(String secretId) {
        cache.remove(secretId);
    }

    /**
     * The vault of a secret, read from its metadata; empty when OCI answers 404, which for the function means the
     * secret is not in a vault it may manage (its grant on a control vault is {@code read secret-bundles} only).
     */
    public Optional<String> vaultOf(String secretId) {
        try {
            return Optional.of(clients.vaults(regionOf(secretId)).getSecret(GetSecretRequest.builder()
                    .secretId(secretId).build()).getSecret().getVaultId());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new UnreadableSecretException("secret " + secretId + " cannot be looked up: "
                    + OciErrors.classify(e).describe());
        }
    }

    private String fetch(String secretId) {
        try {
            return BundleReader.readCurrent(clients.secrets(regionOf(secretId)), secretId).utf8();
        } catch (BmcException e) {
            throw new UnreadableSecretException("secret " + secretId + " cannot be read: " + OciErrors.classify(e)
                    .describe());
        } catch (BundleReader.UnexpectedContentException e) {
            throw new UnreadableSecretException("secret " + secretId + " cannot be read: " + e.getMessage());
        }
    }

    /** A vault secret OCID names its region ({@code ocid1.vaultsecret.oc1.<region>.<id>}); else the function's. */
    private String regionOf(String secretId) {
        String[] parts = secretId.split("\\.");
        if (parts.length >= 5 && !parts[3].isEmpty()) {
            return parts[3];
        }
        return clients.defaultRegion().orElse(null);
    }
}
