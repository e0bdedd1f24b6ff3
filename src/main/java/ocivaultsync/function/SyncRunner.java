package ocivaultsync.function;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.oci.OciSetupException;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.reconcile.BundleObservation;
import ocivaultsync.reconcile.CallCounter;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Executor;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.RunReport;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncReport;
import ocivaultsync.reconcile.VaultException;
import ocivaultsync.reconcile.VaultPort;
import ocivaultsync.reconcile.VaultTarget;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import org.jboss.logging.Logger;

/**
 * One run over one or all syncs: for each, read the source, list the vault, read the bundles the planner asks for,
 * plan, carry the plan out (unless it is a dry run), and report. Syncs are isolated: one that fails to start reports
 * FAILED and the others still run.
 */
public final class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final Supplier<SyncConfig> config;
    private final SourceFactory sources;
    private final VaultFactory vaults;
    private final Function<SecretRef, String> secrets;
    private final Executor.Settings executorSettings;
    private final Duration budget;
    private final Clock clock;
    private final Executor.Sleeper sleeper;
    private final Set<String> configSecretIds;
    private final Map<String, FingerprintKey> fingerprintKeys = new ConcurrentHashMap<>();

    /**
     * @param configSecretIds the secret holding the configuration itself ({@code OVS_CONFIG_SECRET_ID}), if any:
     *                        protected like every secret the configuration refers to
     */
    public SyncRunner(Supplier<SyncConfig> config, SourceFactory sources, VaultFactory vaults,
            Function<SecretRef, String> secrets, Executor.Settings executorSettings, Duration budget, Clock clock,
            Executor.Sleeper sleeper, Set<String> configSecretIds) {
        this.configSecretIds = Set.copyOf(configSecretIds);
        this.config = config;
        this.sources = sources;
        this.vaults = vaults;
        this.secrets = secrets;
        this.executorSettings = executorSettings;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Runs the request against the current configuration.
     *
     * @throws RequestException INVALID_CONFIG when the configuration is invalid, UNKNOWN_SYNC for a name it lacks
     */
    public RunReport run(RunRequest request) {
        SyncConfig cfg;
        try {
            cfg = config.get();
        } catch (ConfigException e) {
            throw new RequestException("INVALID_CONFIG", e.getMessage());
        }
        return run(cfg, request);
    }

    public RunReport run(SyncConfig cfg, RunRequest request) {
        List<SyncDefinition> selected;
        if (request.sync().isPresent()) {
            String name = request.sync().get();
            selected = List.of(cfg.sync(name).orElseThrow(() -> new RequestException("UNKNOWN_SYNC",
                    "sync " + name + " is not in the configuration (known: "
                            + String.join(", ", cfg.syncs().stream().map(SyncDefinition::name).toList()) + ")")));
        } else {
            selected = cfg.syncs();
        }
        String runId = UUID.randomUUID().toString();
        Instant deadline = request.deadline().orElseGet(() -> clock.instant().plus(budget));
        List<SyncReport> reports = new ArrayList<>();
        for (SyncDefinition sync : selected) {
            SyncReport report = runSync(cfg, sync, request, deadline);
            reports.add(report);
            RunLog.sync(runId, request, report);
        }
        RunReport run = new RunReport(runId, request.trigger(), request.dryRun(), reports);
        RunLog.run(run);
        return run;
    }

    private SyncReport runSync(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        Instant started = clock.instant();
        if (request.trigger().isAutomatic() && !sync.options().autoSync()) {
            return SyncReport.skipped(sync.name());
        }
        CallCounter calls = new CallCounter();
        try {
            FingerprintKey fpKey = fingerprintKey(cfg.fingerprintKey());
            SecretSource source = sources.open(sync, deadline);
            SourceSnapshot snapshot = source.fetch();
            VaultTarget target = new VaultTarget(sync.destination().region(), sync.destination().compartmentId(),
                    sync.destination().vaultId(), sync.destination().keyId());
            VaultPort vault = vaults.open(target.region(), calls);
            List<DestinationSecret> destination;
            try {
                destination = vault.list(target);
            } catch (VaultException e) {
                return failed(sync, "destination: cannot list the vault's secrets: " + e.describe(), calls, started);
            }
            Map<String, SecretValue> values = new HashMap<>();
            List<SourceEntry> entries = new ArrayList<>();
            for (SourceSecret s : snapshot.secrets()) {
                values.putIfAbsent(s.key(), s.value());
                entries.add(new SourceEntry(s.key(), s.value().isEmpty() ? null : s.value().fingerprint(fpKey),
                        s.value().size(), s.origin(), s.version()));
            }
            SyncPolicy policy = new SyncPolicy(sync.name(), sync.source().environment(), sync.options().keySchema(),
                    sync.options().initialSyncBehavior(), sync.options().disableSecretDeletion(),
                    sync.options().deletionDelayDays(), sync.options().deletionGuard(), request.force(),
                    request.verify(), request.deepSecretIds().getOrDefault(sync.name(), Set.of()), fpKey.id(),
                    protectedIds(cfg));
            Planner.Input input = new Planner.Input(policy, entries, destination);
            Executor executor = new Executor(vault, executorSettings, clock, sleeper);
            Map<String, SecretValue> destinationValues = new ConcurrentHashMap<>();
            Map<String, BundleObservation> observed =
                    observe(executor, Planner.bundlesToRead(input), fpKey, deadline, destinationValues);
            Plan plan = Planner.plan(input, observed);
            List<PlannedChange> outcome = plan.changes();
            if (!request.dryRun()) {
                Executor.Replanner replanner = change -> replan(change, input, plan.initial(), vault, target, executor,
                        fpKey, deadline, destinationValues);
                outcome = executor.apply(plan, new Executor.Context(target, values, destinationValues, source,
                        replanner, deadline, plan.deletionDelayDays()));
            }
            return SyncReport.of(sync.name(), plan.initial(), outcome, request.verbose(), null, calls.snapshot(),
                    Duration.between(started, clock.instant()).toMillis());
        } catch (SourceException e) {
            return failed(sync, "source: " + e.getMessage(), calls, started);
        } catch (ConfigException | OciSetupException | SecretResolver.UnreadableSecretException e) {
            return failed(sync, "setup: " + e.getMessage(), calls, started);
        } catch (VaultException e) {
            return failed(sync, "destination: " + e.describe(), calls, started);
        } catch (IllegalArgumentException e) {
            return failed(sync, "setup: " + e.getMessage(), calls, started);
        } catch (RuntimeException e) {
            // Only the type: an unexpected exception's message could quote anything, values included.
            LOG.errorf("sync %s stopped by an unexpected %s", sync.name(), e.getClass().getName());
            return failed(sync, "internal error (" + e.getClass().getSimpleName() + ")", calls, started);
        }
    }

    private SyncReport failed(SyncDefinition sync, String error, CallCounter calls, Instant started) {
        return SyncReport.failed(sync.name(), error, calls.snapshot(),
                Duration.between(started, clock.instant()).toMillis());
    }

    /** Reads bundles and reduces them to fingerprints; the values are kept only for imports. */
    private static Map<String, BundleObservation> observe(Executor executor, Set<String> ids, FingerprintKey key,
            Instant deadline, Map<String, SecretValue> keep) {
        Map<String, BundleObservation> out = new LinkedHashMap<>();
        executor.readAll(ids, deadline).forEach((id, read) -> {
            if (read.value() != null) {
                keep.put(id, read.value());
                out.put(id, new BundleObservation.Read(read.value().fingerprint(key)));
            } else {
                out.put(id, new BundleObservation.Unreadable(read.error()));
            }
        });
        return out;
    }

    /** A create met "name already exists": look at that name again and decide again. */
    private static PlannedChange replan(PlannedChange change, Planner.Input input, boolean initial, VaultPort vault,
            VaultTarget target, Executor executor, FingerprintKey key, Instant deadline,
            Map<String, SecretValue> keep) {
        List<DestinationSecret> holders = vault.findByName(target, change.name());
        Planner.Input one = new Planner.Input(input.policy(),
                input.source().stream().filter(e -> e.key().equals(change.key())).toList(), holders);
        Set<String> reads = Planner.bundlesToReadForName(one, initial, change.name());
        return Planner.planName(one, initial, change.name(), observe(executor, reads, key, deadline, keep));
    }

    private Set<String> protectedIds(SyncConfig cfg) {
        Set<String> ids = new java.util.HashSet<>(cfg.referencedSecretIds());
        ids.addAll(configSecretIds);
        return ids;
    }

    private FingerprintKey fingerprintKey(SecretRef ref) {
        String cacheKey = ref instanceof SecretRef.VaultSecret v ? v.secretId() : "inline:" + ref.hashCode();
        return fingerprintKeys.computeIfAbsent(cacheKey, k -> {
            try {
                return FingerprintKey.of(secrets.apply(ref));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("fingerprintKey: " + e.getMessage());
            }
        });
    }
}
