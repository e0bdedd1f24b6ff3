package ocivaultsync.oci;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import ocivaultsync.config.IntRange;

/**
 * How to reach OCI, as plain values (converted from the {@code ovs.oci.*} settings).
 *
 * @param resourcePrincipalVersion the value of {@code OCI_RESOURCE_PRINCIPAL_VERSION}, which OCI Functions sets
 * @param monitoringEndpoint       where PostMetricData goes instead of the region's telemetry-ingestion endpoint
 */
public record OciOptions(AuthMode auth, Optional<String> region, Optional<String> vaultsEndpoint,
        Optional<String> secretsEndpoint, Optional<String> functionsEndpoint,
        String configFile, String profile, ApiKey apiKey, int maxAttempts, Duration maxRetryDelay,
        Duration connectTimeout, Duration readTimeout, Optional<String> resourcePrincipalVersion,
        Optional<String> monitoringEndpoint) {

    /** Attempts include the first: fewer than one would never call OCI. */
    static final IntRange ATTEMPTS = IntRange.atLeast(1);

    public OciOptions {
        ATTEMPTS.check("ovs.oci.max-attempts", maxAttempts).ifPresent(problem -> {
            throw new OciSetupException(problem);
        });
    }

    /** Without a monitoring endpoint override (PostMetricData goes to the region's telemetry-ingestion endpoint). */
    public OciOptions(AuthMode auth, Optional<String> region, Optional<String> vaultsEndpoint,
            Optional<String> secretsEndpoint, Optional<String> functionsEndpoint, String configFile, String profile,
            ApiKey apiKey, int maxAttempts, Duration maxRetryDelay, Duration connectTimeout, Duration readTimeout,
            Optional<String> resourcePrincipalVersion) {
        this(auth, region, vaultsEndpoint, secretsEndpoint, functionsEndpoint, configFile, profile, apiKey, maxAttempts,
                maxRetryDelay, connectTimeout, readTimeout, resourcePrincipalVersion, Optional.empty());
    }

    /** The same options with PostMetricData sent to {@code endpoint} (the emulator). */
    public OciOptions withMonitoringEndpoint(String endpoint) {
        return new OciOptions(auth, region, vaultsEndpoint, secretsEndpoint, functionsEndpoint, configFile, profile,
                apiKey, maxAttempts, maxRetryDelay, connectTimeout, readTimeout, resourcePrincipalVersion,
                Optional.of(endpoint));
    }

    /** How requests are signed. */
    public enum AuthMode {
        AUTO, RESOURCE_PRINCIPAL, INSTANCE_PRINCIPAL, API_KEY;

        public static AuthMode parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new OciSetupException("ovs.oci.auth: must be one of auto, resource-principal, "
                        + "instance-principal, api-key");
            }
        }
    }

    /** Explicit API-key settings; all empty to use the OCI config file. */
    public record ApiKey(Optional<String> tenancyId, Optional<String> userId, Optional<String> fingerprint,
            Optional<String> privateKeyFile, Optional<String> passphrase, Optional<String> region) {

        public static ApiKey none() {
            return new ApiKey(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }

        @Override
        public String toString() {
            return "ApiKey[tenancy=" + tenancyId.orElse("-") + ", user=" + userId.orElse("-") + "]";
        }
    }
}
