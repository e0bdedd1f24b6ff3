package ocivaultsync.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Service settings. Environment variables map onto them ({@code OVS_CONFIG_FILE} is {@code ovs.config-file}). */
@ConfigMapping(prefix = "ovs")
public interface OvsSettings {

    /** The sync configuration document itself ({@code OVS_CONFIG}). */
    Optional<String> config();

    /** A path to the sync configuration ({@code OVS_CONFIG_FILE}). */
    Optional<String> configFile();

    /** The OCID of an OCI Vault secret holding the sync configuration ({@code OVS_CONFIG_SECRET_ID}). */
    Optional<String> configSecretId();

    /** How long a configuration read from OCI Vault is reused before it is read again. */
    @WithDefault("5m")
    Duration configCacheTtl();

    /** Accept {@code {value: ...}} secret references. For local runs only: production references secrets by OCID. */
    @WithDefault("false")
    boolean allowInlineSecrets();

    /**
     * The OCIDs of the secrets holding the Infisical webhook signing keys ({@code OVS_WEBHOOK_KEY_SECRET_IDS}, comma
     * separated). A call through API Gateway is checked against these before the configuration is read; without them
     * every such call is refused. Each must also be the {@code webhookSigningKey} of the syncs it may start.
     */
    Optional<java.util.List<String>> webhookKeySecretIds();

    /**
     * The users who may call {@code sync}, {@code plan}, {@code import} and {@code remove}
     * ({@code OVS_OPERATOR_PRINCIPAL_IDS}, comma-separated user OCIDs; the Terraform module sets it from
     * {@code operator_principal_ids}). It lives outside the configuration secret so that whoever may write the
     * configuration, edit a schedule or invoke the function cannot grant it. A caller is the {@code oci-subject-id}
     * header OCI Functions adds to an invocation; empty lists nobody, and those functions are refused to every caller.
     * Automatic triggers ({@code event}) need no listing: they can only reconcile toward the recorded intent.
     */
    Optional<java.util.List<String>> operatorPrincipalIds();

    /**
     * The OCIDs of the secrets the function's IAM policy lets it read ({@code OVS_GRANTED_SECRET_IDS}, comma
     * separated; the Terraform module sets it from its read grant). When set, a configuration that references any
     * other secret is refused when it loads, naming the field; unset (local runs), nothing is checked.
     */
    Optional<java.util.Set<String>> grantedSecretIds();

    /**
     * How long a secret read from OCI Vault (the configuration, the fingerprint key, webhook signing keys, client
     * secrets) is used before it is read again, so a secret changed in OCI Vault reaches every warm container. A
     * secret that was refused (a login Infisical refused, a signature no key matched) is read again sooner.
     */
    @WithDefault("5m")
    Duration secretCacheTtl();

    /**
     * During a rotation of a webhook signing key, the PREVIOUS version of its secret still verifies for this long
     * after the CURRENT version was created (time to give Infisical the new key); then only CURRENT does.
     */
    @WithDefault("1h")
    Duration webhookKeyRotationGrace();

    /**
     * Accept a configuration secret that lives in a vault a sync writes to. Off: the function's own secrets belong in a
     * control vault it can only read (see README, "The control vault").
     */
    @WithDefault("false")
    boolean allowSharedVault();

    /** How passes run. */
    Sync sync();

    /** How the product reaches OCI. */
    Oci oci();

    /** How the product reaches Infisical. */
    Infisical infisical();

    /** Infisical HTTP settings. */
    interface Infisical {
        /**
         * The Infisical hosts a configuration may name ({@code OVS_INFISICAL_ALLOWED_HOSTS}, comma separated), set by
         * the operator outside the configuration so that whoever may write the configuration cannot send a client
         * secret elsewhere. Host names match exactly (case aside); an IP address or a CIDR range admits an IP
         * literal in a URL, and the private, loopback and link-local addresses a listed name resolves to. The
         * default is Infisical Cloud: app.infisical.com, us.infisical.com (US) and eu.infisical.com (EU).
         */
        @WithDefault("app.infisical.com,us.infisical.com,eu.infisical.com")
        java.util.List<String> allowedHosts();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Per request; a request that takes longer fails the source (and so the sync) before any write. */
        @WithDefault("20s")
        Duration requestTimeout();
    }

    /** The dev mode's embedded emulator. */
    Dev dev();

    /** The pass metrics posted to OCI Monitoring (README, "Metrics, alerts and logs"). */
    Metrics metrics();

    /** Metrics settings. */
    interface Metrics {
        /**
         * Post each pass's metrics (namespace {@code ocivaultsync}) from a background thread; off: nothing is posted.
         * Posting never fails or slows a run: what cannot be posted is dropped with one log line.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The compartment the metrics are posted to (Terraform sets the function's own, where its alarms look); by
         * default the compartment of the sync's destination vault.
         */
        Optional<String> compartmentId();
    }

    /** Settings of {@code ./mvnw quarkus:dev}. */
    interface Dev {
        /** The port of the embedded OCI Vault emulator. */
        @WithDefault("9801")
        int emulatorPort();

        /** Where the sample secrets file is copied on first start (the sample sync reads it). */
        @WithDefault("target/dev/secrets.yaml")
        String sampleSecrets();
    }

    /** Pass tuning. */
    interface Sync {
        /** Calls in flight at once per sync; halved on every 429 (see BENCHMARKS.md for how 8 was chosen). */
        @WithDefault("8")
        int parallelism();

        /** A run's time budget when the caller gives no deadline (an Fn call carries its own). */
        @WithDefault("240s")
        Duration budget();

        /**
         * A run over several syncs hands the next sync to a detached invocation of its own when less than this (or
         * twice its longest sync so far) is left of its deadline. Only on OCI, where invocations can be started.
         */
        @WithDefault("60s")
        Duration fanOutBelow();
    }

    /** Retries of deferred work. */
    Requeue requeue();

    /** How deferred work is retried; written in lower case ({@code ovs.requeue.mode=local}). */
    enum RequeueMode {
        AUTO, FUNCTION, LOCAL, OFF
    }

    /** Retry settings. */
    interface Requeue {
        /**
         * {@code auto} (a detached self-invocation on OCI Functions, an in-process timer elsewhere), {@code function},
         * {@code local} or {@code off} (the schedule is the only retry). Any other value fails start-up, naming this
         * setting and the allowed values.
         */
        @WithDefault("auto")
        RequeueMode mode();

        /**
         * The function's invoke endpoint ({@code OVS_REQUEUE_INVOKE_ENDPOINT}). The Terraform module does not set it:
         * its config cannot name the function's own endpoint without a cycle, so the function reads it once through
         * the Functions API.
         */
        Optional<String> invokeEndpoint();

        @WithDefault("15s")
        Duration firstDelay();

        @WithDefault("120s")
        Duration maxDelay();

        @WithDefault("8")
        int maxAttempts();
    }

    /** The Fn adapter. */
    Fn fn();

    /** Fn settings (the Fn variables themselves, FN_LISTENER and the like, are in {@link FnPlatform}). */
    interface Fn {
        /** Kept free before the Fn deadline to finish the report and answer. */
        @WithDefault("10s")
        Duration deadlineMargin();
    }

    /** OCI access. */
    interface Oci {
        /** {@code auto}, {@code resource-principal}, {@code instance-principal} or {@code api-key}. */
        @WithDefault("auto")
        String auth();

        /** The region of the function itself (config and referenced secrets); defaults to the auth provider's. */
        Optional<String> region();

        /** Endpoint overrides (scheme + host + port), e.g. the emulator. */
        Optional<String> vaultsEndpoint();

        Optional<String> secretsEndpoint();

        Optional<String> functionsEndpoint();

        /**
         * Where PostMetricData goes (the emulator); by default the region's {@code telemetry-ingestion} endpoint, which
         * is not the endpoint the SDK's MonitoringClient picks for a region (see OciClients#monitoring).
         */
        Optional<String> monitoringEndpoint();

        /** The OCI CLI config file and profile used by {@code api-key} auth without explicit key settings. */
        @WithDefault("~/.oci/config")
        String configFile();

        @WithDefault("DEFAULT")
        String profile();

        /** An API key given explicitly (takes precedence over the config file when {@code tenancy-id} is set). */
        ApiKey apiKey();

        /** Attempts per SDK call, including the first (see OciClients for why so few). */
        @WithDefault("3")
        int maxAttempts();

        /** The longest pause between two SDK attempts. */
        @WithDefault("2s")
        Duration maxRetryDelay();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("20s")
        Duration readTimeout();

        /**
         * Build the SDK clients and load their request path at start-up, before the function listens, instead of on
         * the first request (no call reaches OCI: see OciClients#warmUp and function.ClientWarmUp).
         */
        @WithDefault("true")
        boolean warmUp();
    }

    /** Explicit API-key settings. */
    interface ApiKey {
        Optional<String> tenancyId();

        Optional<String> userId();

        /** Derived from the key when absent (PKCS#8 keys). */
        Optional<String> fingerprint();

        Optional<String> privateKeyFile();

        Optional<String> passphrase();

        Optional<String> region();
    }
}
