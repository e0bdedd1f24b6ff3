package ocivaultsync.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.functions.FunctionsInvokeClient;
import com.oracle.bmc.functions.FunctionsManagementClient;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import com.oracle.bmc.util.CircuitBreakerUtils;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.SecretContentDetails;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.waiter.DelayStrategy;
import com.oracle.bmc.waiter.MaxAttemptsTerminationStrategy;
import com.oracle.bmc.waiter.WaiterConfiguration;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.reconcile.Backoff;

/**
 * OCI SDK clients, built once per container on first use and reused by every invocation; closed on shutdown.
 *
 * <p>Retries are deliberately few and short. The SDK's default is 8 attempts with back-off up to 30 s, about two
 * minutes before an error surfaces (docs/CONFIGURATION.md, 'Service settings'): one stuck call would eat most of a
 * 300 s invocation and stall every secret queued behind it. Here a call gets {@code maxAttempts} tries, at most
 * {@code maxRetryDelay} apart, on 429, 5xx and timeouts only; 409 IncorrectState is not retried because it means our
 * listing is stale, and the executor defers that secret to a later pass instead. Persistent throttling is handled above
 * the SDK, where the executor halves its parallelism.
 *
 * <p>The circuit breaker is turned off on purpose: it opens for the whole client after ten failures in two minutes
 * and then fails every call, including those for healthy secrets, which breaks per-secret isolation (F12) inside a
 * short-lived invocation that already bounds its own retries and time.
 */
public final class OciClients implements AutoCloseable {

    /** The SDK's first pause; it doubles up to {@code maxRetryDelay}, jittered ({@link Backoff}). */
    public static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);

    private final OciOptions options;
    private final ClientConfiguration configuration;
    private volatile OciAuth.Auth auth;
    private final Map<String, VaultsClient> vaults = new ConcurrentHashMap<>();
    private final Map<String, SecretsClient> secrets = new ConcurrentHashMap<>();
    private final Map<String, FunctionsInvokeClient> functions = new ConcurrentHashMap<>();
    private final Map<String, FunctionsManagementClient> functionsManagement = new ConcurrentHashMap<>();
    private final Map<String, MonitoringClient> monitoring = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public OciClients(OciOptions options) {
        this.options = options;
        this.configuration = ClientConfiguration.builder()
                .retryConfiguration(retries(options))
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .readTimeoutMillis((int) options.readTimeout().toMillis())
                .build();
    }

    static RetryConfiguration retries(OciOptions o) {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, o.maxRetryDelay());
        DelayStrategy jittered = new DelayStrategy() {
            // The SDK counts the failed attempt before it asks for the pause (GenericWaiter#execute: incrementAttempts,
            // then the termination strategy, then nextDelay), so the first pause sees 1 and is the formula's retry 0.
            @Override
            public long nextDelay(WaiterConfiguration.WaitContext ctx) {
                return backoff.jittered(ctx.getAttemptsMade() - 1).toMillis();
            }
        };
        return RetryConfiguration.builder()
                .terminationStrategy(new MaxAttemptsTerminationStrategy(o.maxAttempts()))
                .delayStrategy(jittered)
                .retryCondition(OciClients::retryable)
                .build();
    }

    static boolean retryable(BmcException e) {
        int s = e.getStatusCode();
        return s == 429 || s == 500 || s == 502 || s == 503 || s == 504 || e.isTimeout()
                || (e.isClientSide() && s <= 0);
    }

    /** The configuration every client is built with: the retries above, no circuit breaker, the timeouts. */
    public ClientConfiguration configuration() {
        return configuration;
    }

    /** The authentication in use (built on first use, so a local run that never calls OCI needs no credentials). */
    OciAuth.Auth auth() {
        OciAuth.Auth a = auth;
        if (a == null) {
            synchronized (this) {
                if (auth == null) {
                    auth = OciAuth.build(options);
                }
                a = auth;
            }
        }
        return a;
    }

    /** The function's own region: settings, else the auth provider's. */
    public Optional<String> defaultRegion() {
        return options.region().or(() -> auth().region());
    }

    public VaultsClient vaults(String region) {
        return vaults.computeIfAbsent(key(options.vaultsEndpoint(), region), k -> {
            var b = VaultsClient.builder().configuration(configuration);
            return place(b, options.vaultsEndpoint(), region).build(auth().provider());
        });
    }

    public SecretsClient secrets(String region) {
        return secrets.computeIfAbsent(key(options.secretsEndpoint(), region), k -> {
            var b = SecretsClient.builder().configuration(configuration);
            return place(b, options.secretsEndpoint(), region).build(auth().provider());
        });
    }

    /** A Functions invoke client for an invoke endpoint (a function's own, or the override). */
    public FunctionsInvokeClient functions(String invokeEndpoint) {
        String endpoint = options.functionsEndpoint().orElse(invokeEndpoint);
        return functions.computeIfAbsent(endpoint, k -> FunctionsInvokeClient.builder().configuration(configuration)
                .endpoint(endpoint).build(auth().provider()));
    }

    /** The Functions management API (to read a function's invoke endpoint). */
    public FunctionsManagementClient functionsManagement(String region) {
        return functionsManagement.computeIfAbsent(key(options.functionsEndpoint(), region), k -> {
            var b = FunctionsManagementClient.builder().configuration(configuration);
            return place(b, options.functionsEndpoint(), region).build(auth().provider());
        });
    }

    /**
     * The Monitoring client that posts metrics (PostMetricData), in the function's own region: the override when set
     * (the emulator), else the region's {@link #ingestionEndpoint telemetry-ingestion endpoint}.
     */
    public MonitoringClient monitoring() {
        String endpoint = options.monitoringEndpoint().orElseGet(() -> ingestionEndpoint(defaultRegion().orElseThrow(
                () -> new OciSetupException("ovs.oci.region: no region is known to post metrics to; set it or use an "
                        + "auth mode that carries one"))));
        return monitoring.computeIfAbsent(endpoint, e -> MonitoringClient.builder().configuration(configuration)
                .endpoint(e).build(auth().provider()));
    }

    /**
     * PostMetricData's endpoint in a region. The SDK's MonitoringClient has one endpoint template for all its
     * operations, {@code https://telemetry.{region}.{secondLevelDomain}}, but PostMetricData is served elsewhere: "The
     * endpoints for this operation differ from other Monitoring operations. Replace the string telemetry with
     * telemetry-ingestion in the endpoint" (the operation's Javadoc in oci-java-sdk-monitoring, and the API reference).
     * Oracle's own MonitoringMetricPostExample sets the endpoint the same way. Built from the SDK's template, so other
     * realms (their own second-level domains) get theirs.
     */
    public static String ingestionEndpoint(String region) {
        String telemetry = Region.formatDefaultRegionEndpoint(MonitoringClient.SERVICE,
                Region.fromRegionCodeOrId(region));
        if (!telemetry.startsWith("https://telemetry.")) {
            throw new OciSetupException("the SDK's Monitoring endpoint for " + region + " is " + telemetry
                    + ", not https://telemetry.<region>...: set ovs.oci.monitoring-endpoint");
        }
        return "https://telemetry-ingestion." + telemetry.substring("https://telemetry.".length());
    }

    /**
     * Pays the SDK's one-off start-up costs before the first request needs them: the key is read, the clients a pass
     * uses (vaults and secrets, in the function's own region) are built, and one request of each kind a pass makes
     * is sent through throw-away clients to a loopback stand-in that answers with canned OCI answers. That loads and
     * links the SDK's whole request and response path (models, JSON writers and readers, request signing, Jersey's
     * client runtime) without a call to OCI, so the emulator and OCI see nothing. Measured in BENCHMARKS.md, "First
     * call". Never throws: whatever fails here fails again, with
     * its message, on the request path.
     *
     * @return what was warmed, for the log
     */
    public String warmUp() {
        StringBuilder done = new StringBuilder();
        try {
            if (closed) {
                return "nothing (closed)";
            }
            com.oracle.bmc.auth.BasicAuthenticationDetailsProvider provider;
            try {
                provider = auth().provider();
            } catch (RuntimeException e) {
                // No credentials here (as when the JVM image, Dockerfile, makes its AppCDS archive): the request path is
                // still worth loading, with a key made for the purpose, so its classes land in the archive.
                exercise(throwAwayKey());
                return "request path (throw-away key; auth: " + e.getClass().getSimpleName() + ")";
            }
            done.append("auth");
            Optional<String> region = defaultRegion();
            if (region.isPresent() || options.vaultsEndpoint().isPresent()) {
                vaults(region.orElse(null));
                secrets(region.orElse(null));
                done.append(", clients");
            }
            exercise(provider);
            done.append(", request path");
        } catch (RuntimeException e) {
            done.append(" (stopped: ").append(e.getClass().getSimpleName()).append(')');
        }
        return done.toString();
    }

    private void exercise(com.oracle.bmc.auth.BasicAuthenticationDetailsProvider provider) {
        ClientConfiguration once = ClientConfiguration.builder()
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                .connectionTimeoutMillis(2000).readTimeoutMillis(2000).build();
        String id = "ocid1.vaultsecret.oc1..warmup";
        var content = Base64SecretContentDetails.builder().content("d2FybS11cA==")
                .stage(SecretContentDetails.Stage.Current).build();
        try (CannedAnswers oci = new CannedAnswers();
                VaultsClient v = VaultsClient.builder().configuration(once).endpoint(oci.endpoint()).build(provider);
                SecretsClient s = SecretsClient.builder().configuration(once).endpoint(oci.endpoint())
                        .build(provider)) {
            quietly(() -> v.listSecrets(ListSecretsRequest.builder().compartmentId("ocid1.compartment.oc1..warmup")
                    .vaultId("ocid1.vault.oc1..warmup").build()));
            quietly(() -> s.getSecretBundle(GetSecretBundleRequest.builder().secretId(id)
                    .stage(GetSecretBundleRequest.Stage.Current).build()));
            quietly(() -> v.createSecret(CreateSecretRequest.builder().opcRetryToken("warm-up")
                    .createSecretDetails(CreateSecretDetails.builder().compartmentId("ocid1.compartment.oc1..warmup")
                            .vaultId("ocid1.vault.oc1..warmup").keyId("ocid1.key.oc1..warmup").secretName("warm-up")
                            .freeformTags(Map.of("ovs_sync", "warm-up")).secretContent(content).build())
                    .build()));
            quietly(() -> v.updateSecret(UpdateSecretRequest.builder().secretId(id).updateSecretDetails(
                    UpdateSecretDetails.builder().freeformTags(Map.of("ovs_sync", "warm-up")).secretContent(content)
                            .build()).build()));
        } catch (IOException e) {
            // no loopback socket: the request path is loaded on the first request instead
        }
    }

    /**
     * A loopback stand-in that answers every request with a canned OCI answer of the right shape (a list of one
     * summary, a bundle, a secret), so the warm-up's requests also run the SDK's response path (Jersey's reader,
     * the models' JSON deserialisers), which a refused connection would leave for the first real call.
     */
    private static final class CannedAnswers implements AutoCloseable {
        private static final String SECRET = "{\"id\":\"ocid1.vaultsecret.oc1..warmup\",\"secretName\":\"warm-up\","
                + "\"compartmentId\":\"ocid1.compartment.oc1..warmup\",\"vaultId\":\"ocid1.vault.oc1..warmup\","
                + "\"keyId\":\"ocid1.key.oc1..warmup\",\"lifecycleState\":\"ACTIVE\",\"currentVersionNumber\":1,"
                + "\"timeCreated\":\"2026-01-01T00:00:00.000Z\",\"freeformTags\":{\"ovs_sync\":\"warm-up\"}}";
        private static final String LIST = "[" + SECRET + "]";
        private static final String BUNDLE = "{\"secretId\":\"ocid1.vaultsecret.oc1..warmup\",\"versionNumber\":1,"
                + "\"stages\":[\"CURRENT\",\"LATEST\"],\"timeCreated\":\"2026-01-01T00:00:00.000Z\","
                + "\"secretBundleContent\":{\"contentType\":\"BASE64\",\"content\":\"d2FybS11cA==\"}}";

        private final ServerSocket server;

        CannedAnswers() throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "ovs-warm-up-answers");
            t.setDaemon(true);
            t.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(2000);
                    answer(s);
                } catch (IOException | RuntimeException e) {
                    // closed, or a request that was not what this expects: that request fails, quietly
                }
            }
        }

        private static void answer(Socket s) throws IOException {
            InputStream in = new BufferedInputStream(s.getInputStream());
            String requestLine = line(in);
            long length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(h.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            String body = requestLine.contains("/secretbundles/") ? BUNDLE
                    : requestLine.startsWith("GET ") ? LIST : SECRET;
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + b.length
                    + "\r\nopc-request-id: warm-up\r\netag: warm-up\r\nconnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static com.oracle.bmc.auth.BasicAuthenticationDetailsProvider throwAwayKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            byte[] der = g.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
            return SimpleAuthenticationDetailsProvider.builder().region(Region.US_ASHBURN_1)
                    .tenantId("ocid1.tenancy.oc1..warmup")
                    .userId("ocid1.user.oc1..warmup").fingerprint("00:00")
                    .privateKeySupplier(() -> new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (BmcException expected) {
            // an answer the SDK did not take: the request still ran every step up to it
        }
    }

    private static String key(Optional<String> endpoint, String region) {
        return endpoint.orElse("region:" + region);
    }

    /** Endpoint override when set (the emulator), else the region's public endpoint. */
    private static <B extends com.oracle.bmc.common.RegionalClientBuilder<B, ?>> B place(B builder,
            Optional<String> endpoint, String region) {
        if (endpoint.isPresent()) {
            return builder.endpoint(endpoint.get());
        }
        if (region == null || region.isBlank()) {
            throw new OciSetupException("ovs.oci.region: no region is known for this call; set it or use an auth "
                    + "mode that carries one");
        }
        return builder.region(Region.fromRegionCodeOrId(region));
    }

    @Override
    public void close() {
        closed = true;
        vaults.values().forEach(VaultsClient::close);
        secrets.values().forEach(SecretsClient::close);
        functions.values().forEach(FunctionsInvokeClient::close);
        functionsManagement.values().forEach(FunctionsManagementClient::close);
        monitoring.values().forEach(MonitoringClient::close);
        monitoring.clear();
        vaults.clear();
        secrets.clear();
        functions.clear();
        functionsManagement.clear();
    }
}
