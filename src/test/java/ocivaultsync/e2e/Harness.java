package ocivaultsync.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import ocivaultsync.apply.Executor;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.ConfigHolder;
import ocivaultsync.config.ConfigLoader;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorFixture.SecretView;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.function.FunctionCalls;
import ocivaultsync.function.Operators;
import ocivaultsync.metrics.MetricsPublisher;
import ocivaultsync.metrics.OciMetricsSink;
import ocivaultsync.oci.OciClients;
import ocivaultsync.oci.OciOptions;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SourceFactory;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.run.VaultFactory;
import ocivaultsync.source.infisical.InfisicalSources;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.SigningKeys;
import ocivaultsync.trigger.WebhookVerifier;

/**
 * The product wired for an end-to-end test: the real runner, the real OCI SDK adapter pointed at the emulator (API-key
 * signatures verified), and a file source in a temporary folder. Only the CDI layer is left out.
 */
public class Harness implements AutoCloseable {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final String FINGERPRINT_KEY = "e2e-fingerprint-key-0123456789abcdef";
    public static final String REGION = "eu-frankfurt-1";

    public final EmulatorFixture f;
    public final Path dir;
    public final Path secretsFile;
    public final OciClients clients;
    private UnaryOperator<ConfigBuilder.Sync> options = s -> s;
    private String fileEnvironment;
    private UnaryOperator<ConfigBuilder.Sync> infisicalSource;
    private UnaryOperator<VaultPort> vaultWrapper = v -> v;
    private UnaryOperator<ocivaultsync.source.SecretSource> sourceWrapper = s -> s;
    private final SyncRunner runner;
    public final SecretResolver resolver;
    /** The clock of the Infisical client; tests move it together with the Infisical test server's. */
    public final TestClock clock = new TestClock();
    private SyncConfig config;
    private java.util.function.Supplier<SyncConfig> configSupplier = () -> config;
    /** How often the runner asked for the configuration. */
    public final java.util.concurrent.atomic.AtomicInteger configLoads = new java.util.concurrent.atomic.AtomicInteger();

    public Harness(EmulatorFixture f, Path dir) {
        this(f, dir, Clock.systemUTC());
    }

    /** With the runner on {@code runnerClock} (the emulator's, when a test moves time forward). */
    public Harness(EmulatorFixture f, Path dir, Clock runnerClock) {
        this.f = f;
        this.dir = dir;
        this.secretsFile = dir.resolve("secrets.yaml");
        try {
            Path key = dir.resolve("oci_api_key.pem");
            Files.writeString(key, f.key.privateKeyPem());
            this.clients = new OciClients(new OciOptions(OciOptions.AuthMode.API_KEY, Optional.of("eu-frankfurt-1"),
                    Optional.of(f.emulator.endpoint()), Optional.of(f.emulator.endpoint()),
                    Optional.of(f.emulator.endpoint()), "~/.oci/config", "DEFAULT",
                    new OciOptions.ApiKey(Optional.of(EmulatorFixture.TENANCY), Optional.of(EmulatorFixture.USER),
                            Optional.empty(), Optional.of(key.toString()), Optional.empty(),
                            Optional.of("eu-frankfurt-1")),
                    2, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(5), Optional.empty())
                    .withMonitoringEndpoint(f.emulator.endpoint()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.resolver = new SecretResolver(clients);
        // The product's own wiring (the CDI producer uses the same two functions); a test may only wrap what it opens.
        SourceFactory sources = SourceFactory.wire(new InfisicalSources(Duration.ofSeconds(2), Duration.ofSeconds(5),
                clock, ConfigBuilder.TEST_HOSTS), resolver::resolveAfresh);
        VaultFactory vaults = VaultFactory.oci(clients);
        this.runner = new SyncRunner(() -> {
            configLoads.incrementAndGet();
            return configSupplier.get();
        }, (sync, deadline) -> sourceWrapper.apply(sources.open(sync, deadline)),
                (region, calls) -> vaultWrapper.apply(vaults.open(region, calls)),
                resolver::resolve, new Executor.Settings(4, 6, Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofSeconds(60), runnerClock, d -> Thread.sleep(d.toMillis()), Set.of());
        source(Map.of());
        rebuild();
    }

    /**
     * As the CDI wiring does: a vault fingerprint key's PREVIOUS version is read too, so what was claimed under it
     * keeps verifying through a rotation.
     */
    public Harness readPreviousFingerprintKeys() {
        runner.previousKeysFrom(id -> resolver.readRotation(id).previous());
        return this;
    }

    /**
     * From now on each pass's metrics are posted to the emulator (PostMetricData through the real SDK), as the CDI
     * wiring does in production; {@link MetricsPublisher#drain} waits for them.
     */
    public MetricsPublisher publishMetrics() {
        MetricsPublisher p = new MetricsPublisher(new OciMetricsSink(clients::monitoring), Optional.empty(),
                Clock.systemUTC(), MetricsPublisher.DEFAULT_CAPACITY);
        runner.onPass(p);
        return p;
    }

    /** Sets the options of the sync {@code app} (the ones not given keep their defaults). */
    public Harness configure(UnaryOperator<ConfigBuilder.Sync> options) {
        this.options = options;
        return rebuild();
    }

    /** As {@link #configure(UnaryOperator)}, with the options as YAML lines (kept for the tests written that way). */
    public Harness configure(String optionsYaml) {
        return configure(s -> s.optionsYaml(optionsYaml));
    }

    /** The file source's environment (the {@code {{environment}}} of a key schema). */
    public Harness environment(String env) {
        this.fileEnvironment = env;
        return rebuild();
    }

    public Harness wrapVault(UnaryOperator<VaultPort> wrapper) {
        this.vaultWrapper = wrapper;
        return this;
    }

    public Harness wrapSource(UnaryOperator<ocivaultsync.source.SecretSource> wrapper) {
        this.sourceWrapper = wrapper;
        return this;
    }

    /** The sync {@code app} reads {@code source} (an Infisical source) instead of the file. */
    public Harness infisical(UnaryOperator<ConfigBuilder.Sync> source) {
        this.infisicalSource = source;
        return rebuild();
    }

    /**
     * A configuration to fill in: its syncs start with the file source and the emulator's vault, and the harness's
     * fingerprint key.
     */
    public ConfigBuilder newConfig() {
        return ConfigBuilder.withFingerprintKey(FINGERPRINT_KEY).wholeVaultWithoutKeySchema()
                .eachSync(s -> toEmulator(s.fileSource(secretsFile)));
    }

    /** The emulator's vault as the sync's destination. */
    public ConfigBuilder.Sync toEmulator(ConfigBuilder.Sync sync) {
        return sync.destination(f.emulator.vault().identity());
    }

    /** Replaces the whole configuration. */
    public Harness config(ConfigBuilder builder) {
        config = builder.parse();
        return this;
    }

    /** Replaces the whole configuration; {@code SECRETS}, {@code COMPARTMENT}, {@code VAULT}, {@code KEY} and
     * {@code INFISICAL} are filled in. */
    public Harness raw(String yaml, String infisicalUrl) {
        config = new ConfigParser(true, ConfigBuilder.TEST_HOSTS).parse(yaml.replace("SECRETS", secretsFile.toString())
                .replace("COMPARTMENT", f.compartmentId()).replace("VAULT", f.vaultId()).replace("KEY", f.keyId())
                .replace("INFISICAL", infisicalUrl == null ? "" : infisicalUrl));
        return this;
    }

    public SyncConfig config() {
        return config;
    }

    /** The configuration as text, parsed on every run (as a file would be), with the given strictness. */
    public Harness configText(String yaml, boolean allowInline) {
        this.configSupplier = () -> new ConfigParser(allowInline, ConfigBuilder.TEST_HOSTS).parse(yaml);
        return this;
    }

    /**
     * The configuration as text behind the product's own holder ({@code OVS_CONFIG}), with its checks against OCI: the
     * secrets it references must not live in a vault a sync writes to ({@code ovs.allow-shared-vault=false}).
     */
    public Harness configThroughHolder(String yaml) {
        ConfigHolder holder = new ConfigHolder(ConfigLoader.Location.of(yaml, null, null),
                new ConfigParser(true, ConfigBuilder.TEST_HOSTS), resolver, () -> {
                }, Duration.ofMinutes(5), Clock.systemUTC(), resolver::vaultOf, false);
        this.configSupplier = holder;
        return this;
    }

    /** Back to the parsed configuration set by {@link #raw} or {@link #configure}. */
    public Harness configParsed() {
        this.configSupplier = () -> config;
        return this;
    }

    private Harness rebuild() {
        return config(newConfig().sync("app", s -> options.apply(infisicalSource != null ? infisicalSource.apply(s)
                : fileEnvironment == null ? s : s.environment(fileEnvironment))));
    }

    /** The functions as callers reach them, with a recording requeuer and a stand-in for the config holder. */
    public final RecordingRequeuer requeuer = new RecordingRequeuer();
    public final List<String> configInvalidations = new java.util.ArrayList<>();
    public String configSecretId = "ocid1.vaultsecret.oc1.eu-frankfurt-1.theconfigsecret";
    private FunctionCalls handlers;

    public FunctionCalls handlers() {
        if (handlers == null) {
            ConfigControl control = new ConfigControl() {
                @Override
                public boolean isConfigSecret(String secretId) {
                    return secretId.equals(configSecretId);
                }

                @Override
                public void invalidate() {
                    configInvalidations.add("invalidated");
                }
            };
            // As the CDI producer wires them: the signing keys read CURRENT and PREVIOUS for a bounded time.
            SigningKeys keys = new SigningKeys(resolver::readRotation, SecretResolver.DEFAULT_TTL, Duration.ofHours(1),
                    clock);
            EventHandler events = new EventHandler(runner, control, id -> {
                resolver.invalidate(id);
                keys.forget(id);
            }, resolver::resolve, keys, new WebhookVerifier(clock), clock, d -> Thread.sleep(d.toMillis()));
            handlers = new FunctionCalls(runner, events, operators);
            runner.requeueWith(requeuer, ocivaultsync.requeue.RetryPolicy.DEFAULT, Duration.ofSeconds(10));
        }
        return handlers;
    }

    /**
     * The one operator the functions of {@link #handlers()} accept ({@code ovs.operator-principal-ids}): the caller of
     * {@link #call} unless its headers name another.
     */
    public static final String OPERATOR = "ocid1.user.oc1..e2eoperator";

    private Operators operators = Operators.of(List.of(OPERATOR));

    /** Lists these principals in {@code ovs.operator-principal-ids} instead of {@link #OPERATOR}. */
    public Harness operators(List<String> principals) {
        this.operators = Operators.of(principals);
        this.handlers = null;
        return this;
    }

    /**
     * Calls a function as the HTTP interface would, as the operator ({@code oci-subject-id: }{@link #OPERATOR}) unless
     * {@code headers} give an {@code oci-subject-id} of their own.
     */
    public RunReport call(String function, String body, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
        h.putIfAbsent(Operators.SUBJECT_HEADER, OPERATOR);
        return callWith(function, body, CallContext.single(h::get));
    }

    /** Calls a function with exactly these headers (every value of each, by lower-case name). */
    public RunReport callWith(String function, String body,
            java.util.function.Function<String, List<String>> headers) {
        settle();
        try {
            com.fasterxml.jackson.databind.JsonNode json = body == null ? null
                    : new ObjectMapper().readTree(body);
            return handlers().call(function, json, new CallContext(body == null ? new byte[0]
                    : body.getBytes(StandardCharsets.UTF_8), headers, Optional.empty(), "call-1", false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls {@code status} as the HTTP interface would ({@code body} null: an empty body). */
    public ocivaultsync.report.StatusReport status(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode json = body == null ? null : new ObjectMapper().readTree(body);
            return handlers().status(json, new CallContext(body == null ? new byte[0]
                    : body.getBytes(StandardCharsets.UTF_8), name -> null, Optional.empty(), "call-1", false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status of sync {@code app}, as {@code status} answers it. */
    public ocivaultsync.report.StatusReport.Sync status() {
        return status("{\"sync\":\"app\"}").syncs().get(0);
    }

    public SyncRunner runner() {
        return runner;
    }

    /** Replaces the source file's content. */
    public Harness source(Map<String, String> values) {
        try {
            Files.writeString(secretsFile, values.isEmpty() ? "{}\n" : YAML.writeValueAsString(new LinkedHashMap<>(values)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Map<String, String> sourceFile() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = YAML.readValue(secretsFile.toFile(), Map.class);
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, String.valueOf(v)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RunReport run(RunRequest req) {
        settle();
        return runner.run(config, req);
    }

    /**
     * Lifecycle transitions are on in the end-to-end suites (seeded, 50–500 ms, as OCI's vary). Between runs the
     * emulator's clock is moved past any transition a previous run began, so the suites wait for nothing; within a run
     * the product meets CREATING and UPDATING as it would in OCI.
     */
    public void settle() {
        long max = f.emulator.options().transitionMs();
        if (max > 0) {
            f.emulator.clock().advance(java.time.Duration.ofMillis(max + 1));
        }
    }

    public SyncReport sync() {
        return run(RunRequest.manual(null, false)).syncs().get(0);
    }

    /** An automatic (schedule) pass of sync {@code app}: it reconciles toward the recorded intent, records none. */
    public SyncReport pass() {
        settle();
        return runner.run(config, RunRequest.automatic(ocivaultsync.report.Trigger.SCHEDULE).withSync("app"))
                .syncs().get(0);
    }

    public SyncReport plan() {
        return run(RunRequest.manual(null, true)).syncs().get(0);
    }

    public SyncReport sync(UnaryOperator<RunRequest> tweak) {
        return run(tweak.apply(RunRequest.manual(null, false))).syncs().get(0);
    }

    /** A secret seeded straight into the emulator (another writer, or history). */
    public String seed(String name, String value, Map<String, String> tags, SecretState state) {
        return f.seed(name, value, tags, state);
    }

    /** The secret named {@code name} once transitions begun so far have ended; null if there is none. */
    public SecretView secret(String name) {
        settle();
        return f.secretNamed(name);
    }

    /** The emulator's view once transitions begun so far have ended: name → secret. */
    public Map<String, SecretView> secrets() {
        settle();
        return f.secretsByName();
    }

    /** The tags this product writes with {@code value} into {@code name} for {@code sync}'s {@code key}, claim included. */
    public static Map<String, String> productTags(String sync, String name, String key, String value) {
        ocivaultsync.reconcile.Claims c = ocivaultsync.reconcile.Claims.of(
                ocivaultsync.reconcile.FingerprintKey.of(FINGERPRINT_KEY));
        return c.valueTags(sync, name, key, c.fingerprint(sync, key, ocivaultsync.reconcile.SecretValue.ofUtf8(value)));
    }

    /** As {@link #secrets()}, without the syncs' state secrets: the secrets that hold values. */
    public Map<String, SecretView> valueSecrets() {
        Map<String, SecretView> out = new LinkedHashMap<>(secrets());
        out.keySet().removeIf(n -> n.startsWith("ovs-state-"));
        return out;
    }

    /** As {@link #secrets()}, in the admin API's untyped shape (kept for the tests that read it so). */
    public Map<String, Map<String, Object>> vault() {
        settle();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> s : f.emulator.vault().snapshot()) {
            out.put((String) s.get("name"), s);
        }
        return out;
    }

    public String value(String name) {
        return secret(name).value();
    }

    /** The state right now, a transition still running (no settling). */
    public String stateNow(String name) {
        return f.secretViews().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().state().name();
    }

    public String state(String name) {
        return secret(name).state().name();
    }

    /** The tags of a secret, its {@code ovs_claim} aside (what it claims is what tests read; ClaimsEndToEndTest reads it). */
    public Map<String, String> tags(String name) {
        Map<String, String> t = new LinkedHashMap<>(secret(name).tags());
        t.remove("ovs_claim");
        return t;
    }

    /** The tags another container of this product would have written on {@code sync}'s state secret {@code name}. */
    public static Map<String, String> productStateTags(String sync, String name, Map<String, String> tags) {
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.put("ovs_state", sync);
        return ocivaultsync.reconcile.Claims.of(ocivaultsync.reconcile.FingerprintKey.of(FINGERPRINT_KEY))
                .signState(sync, name, t);
    }

    /** The emulator's clock as a {@link Clock}, for a runner that must agree with it about deletion windows. */
    public static Clock clockOf(ocivaultsync.emulator.EmulatorClock c) {
        return new Clock() {
            @Override
            public java.time.Instant instant() {
                return c.now();
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> lines(SyncReport r) {
        return r.results().stream().map(x -> x.name() + " " + x.action() + " " + x.status()).toList();
    }

    @Override
    public void close() {
        clients.close();
    }
}
