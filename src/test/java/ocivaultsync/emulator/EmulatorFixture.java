package ocivaultsync.emulator;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.circuitbreaker.CircuitBreakerConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import com.oracle.bmc.functions.FunctionsInvokeClient;
import com.oracle.bmc.keymanagement.KmsVaultClient;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.vault.VaultsClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running emulator with a trusted API key and real OCI SDK clients pointed at it. The clients do not retry and have
 * no circuit breaker, so a test sees exactly what the emulator answered.
 */
public final class EmulatorFixture implements AutoCloseable {

    public static final String TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
    public static final String USER = "ocid1.user.oc1..emulatortestuser";

    public final OciVaultEmulator emulator;
    public final ApiKeys.ApiKey key;
    public final SimpleAuthenticationDetailsProvider auth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private VaultsClient vaults;
    private com.oracle.bmc.http.signing.RequestSignerFactory signerFactory;
    private SecretsClient secrets;

    public EmulatorFixture(EmulatorOptions options) {
        this.emulator = new OciVaultEmulator(options);
        emulator.start();
        this.key = ApiKeys.generate();
        emulator.signer().trust(key.keyId(TENANCY, USER), key.publicKeyPem());
        this.auth = authFor(key);
    }

    public static SimpleAuthenticationDetailsProvider authFor(ApiKeys.ApiKey key) {
        return SimpleAuthenticationDetailsProvider.builder().tenantId(TENANCY).userId(USER)
                .fingerprint(key.fingerprint())
                .privateKeySupplier(() -> new ByteArrayInputStream(key.privateKeyPem().getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    public static ClientConfiguration noRetries() {
        CircuitBreakerConfiguration off = CircuitBreakerUtils.getNoCircuitBreakerConfiguration();
        return ClientConfiguration.builder().retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(off).build();
    }

    /** From now on the SDK clients sign with {@code x-date} in place of {@code date} (the TypeScript SDK's way). */
    public synchronized void signWithXDate() {
        signerFactory = XDateSigner.factory(key.keyId(TENANCY, USER), key.privateKeyPem());
    }

    private <B extends com.oracle.bmc.common.ClientBuilderBase<B, ?>> B signed(B builder) {
        return signerFactory == null ? builder : builder.requestSignerFactory(signerFactory);
    }

    public synchronized VaultsClient vaults() {
        if (vaults == null) {
            vaults = signed(VaultsClient.builder()).configuration(noRetries()).endpoint(emulator.endpoint())
                    .build(auth);
        }
        return vaults;
    }

    public synchronized SecretsClient secrets() {
        if (secrets == null) {
            secrets = signed(SecretsClient.builder()).configuration(noRetries()).endpoint(emulator.endpoint())
                    .build(auth);
        }
        return secrets;
    }

    public KmsVaultClient kms() {
        return signed(KmsVaultClient.builder()).configuration(noRetries()).endpoint(emulator.endpoint()).build(auth);
    }

    public FunctionsInvokeClient functions() {
        return signed(FunctionsInvokeClient.builder()).configuration(noRetries()).endpoint(emulator.endpoint())
                .build(auth);
    }

    /** A Monitoring client on the emulator (PostMetricData), signed like the others. */
    public MonitoringClient monitoring() {
        return signed(MonitoringClient.builder()).configuration(noRetries())
                .endpoint(emulator.endpoint()).build(auth);
    }

    public String vaultId() {
        return emulator.vault().identity().vaultId();
    }

    public String keyId() {
        return emulator.vault().identity().keyId();
    }

    public String compartmentId() {
        return emulator.vault().identity().compartmentId();
    }

    /**
     * One secret of the emulated vault as a test reads it (the admin API's view, typed).
     *
     * @param contentBase64  the current version's content
     * @param timeOfDeletion when a PENDING_DELETION secret goes, in OCI's time format; null otherwise
     */
    public record SecretView(String id, String name, SecretState state, Map<String, String> tags,
            long currentVersionNumber, int versionCount, String timeOfDeletion, String contentBase64,
            java.time.Instant timeCreated) {

        @SuppressWarnings("unchecked")
        static SecretView of(Map<String, Object> admin) {
            return new SecretView((String) admin.get("id"), (String) admin.get("name"),
                    SecretState.valueOf((String) admin.get("lifecycleState")),
                    Map.copyOf((Map<String, String>) admin.get("freeformTags")),
                    ((Number) admin.get("currentVersionNumber")).longValue(),
                    ((Number) admin.get("versionCount")).intValue(), (String) admin.get("timeOfDeletion"),
                    (String) admin.get("content"), admin.get("timeCreated") == null ? null
                            : java.time.OffsetDateTime.parse((String) admin.get("timeCreated")).toInstant());
        }

        /** The current value as UTF-8 text. */
        public String value() {
            return contentBase64 == null ? null
                    : new String(Base64.getDecoder().decode(contentBase64), StandardCharsets.UTF_8);
        }

        /** The value of one freeform tag, null when the secret lacks it. */
        public String tag(String key) {
            return tags.get(key);
        }
    }

    /** Every secret, ordered by name then id, with the transitions due by the emulator's clock settled. */
    public List<SecretView> secretViews() {
        return emulator.vault().snapshot().stream().map(SecretView::of).toList();
    }

    /** The secret named {@code name} (the newest id among secrets of that name), or null. */
    public SecretView secretNamed(String name) {
        SecretView found = null;
        for (SecretView s : secretViews()) {
            if (s.name().equals(name)) {
                found = s;
            }
        }
        return found;
    }

    /** Every secret by name (of secrets sharing a name, the one with the greatest id). */
    public Map<String, SecretView> secretsByName() {
        Map<String, SecretView> out = new LinkedHashMap<>();
        for (SecretView s : secretViews()) {
            out.put(s.name(), s);
        }
        return out;
    }

    /**
     * Seeds a secret straight into the emulated vault (another writer, or history), with no signed call and no call
     * counted; a null {@code state} is ACTIVE. Answers its id.
     */
    public String seed(String name, String value, Map<String, String> tags, SecretState state) {
        return (String) emulator.vault().seed(name, Base64.getEncoder().encodeToString(
                value.getBytes(StandardCharsets.UTF_8)), tags, state).get("id");
    }

    /** Puts a secret in {@code state} for {@code seconds} of emulator time, after which it settles into {@code then}. */
    public void force(String id, SecretState state, long seconds, SecretState then) {
        emulator.vault().force(id, state, seconds, then);
    }

    /** A raw HTTP call (admin API, or pinning the wire shape). */
    public HttpResponse<String> raw(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.endpoint() + path));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("content-type", "application/json");
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (vaults != null) {
            vaults.close();
        }
        if (secrets != null) {
            secrets.close();
        }
        emulator.close();
    }
}
