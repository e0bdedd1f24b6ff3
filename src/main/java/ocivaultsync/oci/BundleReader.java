package ocivaultsync.oci;

import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.model.SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import ocivaultsync.reconcile.SecretValue;

/**
 * The one reader of secret bundles: the CURRENT version's content, which must be BASE64, the only content type the
 * product writes and knows how to read. {@link OciVault} reads managed secrets through it and {@link SecretResolver}
 * the function's own (the configuration, the fingerprint key, webhook signing keys, Infisical credentials), so both
 * refuse the same bundles with the same message.
 */
final class BundleReader {

    /** A bundle the product cannot read; the message says why and never quotes the content. */
    static final class UnexpectedContentException extends RuntimeException {
        UnexpectedContentException(String message) {
            super(message, null, false, false);
        }
    }

    private BundleReader() {
    }

    /**
     * Reads the current bundle of {@code secretId}; OCI's errors ({@code BmcException}) pass through for the caller
     * to classify.
     */
    static SecretValue readCurrent(SecretsClient secrets, String secretId) {
        return content(read(secrets, secretId, GetSecretBundleRequest.Stage.Current));
    }

    /**
     * The bundle of one rotation stage ({@code GetSecretBundle} with {@code stage}: CURRENT, PENDING, LATEST,
     * PREVIOUS or DEPRECATED; OCI answers 404 when no version holds the stage). OCI's errors pass through.
     */
    static SecretBundle read(SecretsClient secrets, String secretId, GetSecretBundleRequest.Stage stage) {
        GetSecretBundleRequest req = GetSecretBundleRequest.builder().secretId(secretId).stage(stage).build();
        return secrets.getSecretBundle(req).getSecretBundle();
    }

    /** The value a bundle holds, once its content type is known to be BASE64. */
    static SecretValue content(SecretBundle bundle) {
        SecretBundleContentDetails content = bundle == null ? null : bundle.getSecretBundleContent();
        if (content == null) {
            throw new UnexpectedContentException("the bundle has no content (BASE64 expected)");
        }
        // The SDK reads a content type it does not know into the base class, so this also catches future types.
        if (!(content instanceof Base64SecretBundleContentDetails b64)) {
            throw new UnexpectedContentException("the bundle content is not BASE64");
        }
        if (b64.getContent() == null) {
            throw new UnexpectedContentException("the bundle has no content (BASE64 expected)");
        }
        try {
            return SecretValue.fromBase64(b64.getContent());
        } catch (IllegalArgumentException e) {
            throw new UnexpectedContentException("the bundle content is not valid base64");
        }
    }
}
