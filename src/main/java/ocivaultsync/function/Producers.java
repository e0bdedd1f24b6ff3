package ocivaultsync.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import ocivaultsync.config.ConfigLoader;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.metrics.MetricsPublisher;
import ocivaultsync.metrics.OciMetricsSink;
import ocivaultsync.config.InfisicalHosts;
import ocivaultsync.oci.OciClients;
import ocivaultsync.oci.OciOptions;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.report.Counts;
import ocivaultsync.apply.Executor;
import ocivaultsync.config.ConfigHolder;
import ocivaultsync.report.OciCalls;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.report.RetryInfo;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.FunctionRequeuer;
import ocivaultsync.requeue.LocalRequeuer;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryPolicy;
import ocivaultsync.run.SourceFactory;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.run.VaultFactory;
import ocivaultsync.settings.FnPlatform;
import ocivaultsync.settings.OvsSettings;
import ocivaultsync.source.infisical.InfisicalSources;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.GatewayWebhook;
import ocivaultsync.trigger.SigningKeys;
import ocivaultsync.trigger.WebhookVerifier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * CDI wiring: settings become plain options, SDK clients are built once per container and closed on shutdown, and the
 * runner gets its parts. The report types are registered for reflection here so the core stays framework-free.
 */
@ApplicationScoped
@RegisterForReflection(targets = {RunReport.class, SyncReport.class, SecretResult.class, Counts.class,
        RetryInfo.class, OciCalls.class, Trigger.class, SyncStatus.class, Action.class, ResultStatus.class})
public class Producers {

    private static final Logger LOG = Logger.getLogger(Producers.class);

    @Produces
    @ApplicationScoped
    OciClients ociClients(OvsSettings s,
            @ConfigProperty(name = "OCI_RESOURCE_PRINCIPAL_VERSION") Optional<String> resourcePrincipalVersion) {
        OvsSettings.Oci o = s.oci();
        OvsSettings.ApiKey k = o.apiKey();
        return new OciClients(new OciOptions(OciOptions.AuthMode.parse(o.auth()), o.region(), o.vaultsEndpoint(),
                o.secretsEndpoint(), o.functionsEndpoint(), o.configFile(), o.profile(),
                new OciOptions.ApiKey(k.tenancyId(), k.userId(), k.fingerprint(), k.privateKeyFile(), k.passphrase(),
                        k.region()),
                o.maxAttempts(), o.maxRetryDelay(), o.connectTimeout(), o.readTimeout(), resourcePrincipalVersion,
                o.monitoringEndpoint()));
    }

    void closeClients(@Disposes OciClients clients) {
        clients.close();
    }

    @Produces
    @ApplicationScoped
    SecretResolver secretResolver(OvsSettings s, OciClients clients) {
        return new SecretResolver(clients, s.secretCacheTtl(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ConfigHolder configHolder(OvsSettings s, SecretResolver resolver) {
        ConfigLoader.Location where = ConfigLoader.Location.of(s.config().orElse(null), s.configFile().orElse(null),
                s.configSecretId().orElse(null));
        return new ConfigHolder(where, new ConfigParser(s.allowInlineSecrets(), s.grantedSecretIds(),
                infisicalHosts(s)), resolver,
                () -> where.secretId().ifPresent(resolver::invalidate), s.configCacheTtl(), Clock.systemUTC(),
                resolver::vaultOf, s.allowSharedVault());
    }

    @Produces
    @ApplicationScoped
    InfisicalSources infisicalSources(OvsSettings s) {
        return new InfisicalSources(s.infisical().connectTimeout(), s.infisical().requestTimeout(), Clock.systemUTC(),
                infisicalHosts(s));
    }

    /**
     * Who may call sync, plan, import and remove; checked at start-up too (see {@link #checkOperators}), so an entry
     * that is not a user OCID stops the function before it serves anything.
     */
    static Operators operators(OvsSettings s) {
        return Operators.of(s.operatorPrincipalIds().orElse(java.util.List.of()));
    }

    /** A malformed operator entry fails start-up, naming the setting, as a malformed Infisical host does. */
    void checkOperators(@Observes StartupEvent event, OvsSettings s) {
        if (!operators(s).any()) {
            LOG.infof("%s lists no principal: sync, plan, import "
                    + "and remove are refused to every caller", Operators.SETTING);
        }
    }

    /** The operator's Infisical hosts; a malformed entry fails start-up, naming the setting. */
    static InfisicalHosts infisicalHosts(OvsSettings s) {
        return InfisicalHosts.of(s.infisical().allowedHosts());
    }

    /** The pass metrics' publisher (README, "Metrics, alerts and logs"); on unless {@code ovs.metrics.enabled=false}. */
    @Produces
    @ApplicationScoped
    MetricsPublisher metricsPublisher(OvsSettings s, OciClients clients) {
        return new MetricsPublisher(new OciMetricsSink(clients::monitoring), s.metrics().compartmentId(),
                Clock.systemUTC(), MetricsPublisher.DEFAULT_CAPACITY);
    }

    void closeMetrics(@Disposes MetricsPublisher metrics) {
        metrics.close();
    }

    @Produces
    @ApplicationScoped
    SyncRunner syncRunner(OvsSettings s, ConfigHolder config, OciClients clients, SecretResolver resolver,
            InfisicalSources infisical, MetricsPublisher metrics) {
        SourceFactory sources = SourceFactory.wire(infisical, resolver::resolveAfresh);
        VaultFactory vaults = VaultFactory.oci(clients);
        SyncRunner runner = new SyncRunner(config, sources, vaults, resolver::resolve, executorSettings(s),
                s.sync().budget(), Clock.systemUTC(), Sleeper.THREAD, s.configSecretId().map(Set::of).orElse(Set.of()));
        // Claims made under the fingerprint key's previous version keep verifying through a rotation.
        runner.previousKeysFrom(id -> resolver.readRotation(id).previous());
        if (s.metrics().enabled()) {
            runner.onPass(metrics);
        }
        return runner;
    }

    @Produces
    @ApplicationScoped
    FunctionCalls functionHandlers(OvsSettings s, SyncRunner runner, ConfigHolder config, SecretResolver resolver,
            OciClients clients, FnPlatform platform) {
        // One verifier: a signature accepted on one path is a replay on the other; one set of signing keys.
        WebhookVerifier webhooks = new WebhookVerifier(Clock.systemUTC());
        SigningKeys keys = new SigningKeys(resolver::readRotation, s.secretCacheTtl(), s.webhookKeyRotationGrace(),
                Clock.systemUTC());
        java.util.function.Consumer<String> forget = id -> {
            resolver.invalidate(id);
            keys.forget(id);
        };
        EventHandler events = new EventHandler(runner, config, forget, resolver::resolve, keys, webhooks,
                Clock.systemUTC(), Sleeper.THREAD);
        GatewayWebhook gateway = new GatewayWebhook(runner, s.webhookKeySecretIds().orElse(java.util.List.of()), keys,
                webhooks);
        FunctionCalls handlers = new FunctionCalls(runner, events, gateway, operators(s));
        runner.requeueWith(requeuer(s, clients, platform.fnId(), handlers), retryPolicy(s), s.sync().fanOutBelow());
        return handlers;
    }

    /** The executor's tuning: {@code ovs.sync.parallelism}; the back-off on OCI's 429s is the executor's own. */
    static Executor.Settings executorSettings(OvsSettings s) {
        Executor.Settings d = Executor.Settings.defaults();
        return new Executor.Settings(s.sync().parallelism(), d.maxThrottleRetries(), d.initialBackoff(),
                d.maxBackoff());
    }

    /** The retries of deferred work: {@code ovs.requeue.first-delay}, {@code .max-delay}, {@code .max-attempts}. */
    static RetryPolicy retryPolicy(OvsSettings s) {
        OvsSettings.Requeue r = s.requeue();
        return new RetryPolicy(r.firstDelay(), r.maxDelay(), r.maxAttempts());
    }

    /**
     * Detached self-invocation inside OCI Functions, a local timer elsewhere (see docs/ARCHITECTURE.md, "Retries and
     * hand-offs").
     */
    private static Requeuer requeuer(OvsSettings s, OciClients clients, Optional<String> functionId,
            FunctionCalls handlers) {
        OvsSettings.Requeue r = s.requeue();
        OvsSettings.RequeueMode mode = r.mode();
        boolean onOci = functionId.isPresent();
        if (mode == OvsSettings.RequeueMode.FUNCTION || mode == OvsSettings.RequeueMode.AUTO && onOci) {
            if (!onOci) {
                throw new IllegalStateException("ovs.requeue.mode=function needs FN_FN_ID (set by OCI Functions)");
            }
            String fn = functionId.get();
            return new FunctionRequeuer(clients, fn, () -> r.invokeEndpoint()
                    .orElseGet(() -> FunctionRequeuer.lookUpInvokeEndpoint(clients, fn)));
        }
        if (mode == OvsSettings.RequeueMode.OFF) {
            return Requeuer.OFF;
        }
        return new LocalRequeuer(Clock.systemUTC(), n -> handlers.call("event",
                JSON.valueToTree(n.toJson()), CallContext.local(new byte[0], h -> null)));
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
