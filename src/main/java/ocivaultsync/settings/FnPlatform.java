package ocivaultsync.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The variables OCI Functions sets, under the names the platform gives them ({@code FN_LISTENER} is
 * {@code fn.listener}). They sit outside {@link OvsSettings} only because their prefix is the platform's, not ours.
 * Other {@code FN_*} variables of the platform (FN_APP_ID, FN_MEMORY, ...) are environment variables, which a
 * mapping does not reject as unknown.
 */
@ConfigMapping(prefix = "fn")
public interface FnPlatform {

    /** Where the Fn agent expects the function to listen: {@code unix:/<path>} ({@code FN_LISTENER}). */
    Optional<String> listener();

    /** The Fn wire format; only {@code http-stream} is served ({@code FN_FORMAT}). */
    Optional<String> format();

    /** The function a call without API Gateway reaches ({@code FN_TARGET}, set by Terraform). */
    @WithDefault("event")
    String target();

    /** The OCID of this very function ({@code FN_FN_ID}); present only inside OCI Functions. */
    Optional<String> fnId();
}
