package ocivaultsync.config;

import java.net.URI;
import java.util.Optional;

/**
 * An Infisical project, environment and folder (F1).
 *
 * @param webhookSigningKey the key of the project's webhook (F16); without it, webhooks never run this sync
 */
public record InfisicalSourceConfig(URI url, String projectId, String environment, String secretPath,
        boolean recursive, boolean includeImports, InfisicalAuth auth, Optional<SecretRef> webhookSigningKey)
        implements SourceConfig {

    static final URI DEFAULT_URL = URI.create("https://app.infisical.com");

    /**
     * The shortest webhook signing key accepted: 32 bytes, the size of the HMAC-SHA256 output, so a key cannot be
     * guessed from the refusals and acceptances of signed requests faster than the MAC itself.
     */
    public static final int MIN_WEBHOOK_KEY_BYTES = 32;

    /** Universal-auth machine identity. */
    public record InfisicalAuth(String clientId, SecretRef clientSecret) {
    }

    @Override
    public String describe() {
        return "infisical project " + projectId + " environment " + environment + " path " + secretPath;
    }
}
