package ocivaultsync.function;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import ocivaultsync.requeue.NoRequeuer;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.reconcile.CallCounter;
import ocivaultsync.reconcile.Counts;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Executor;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.OciCalls;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.RetryInfo;
import ocivaultsync.reconcile.RunReport;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncReport;
import ocivaultsync.reconcile.SyncStatus;
import ocivaultsync.reconcile.VaultException;
import ocivaultsync.reconcile.VaultPort;
import ocivaultsync.reconcile.VaultTarget;
import ocivaultsync.reconcile.Verify;
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
    /** Secrets this container wrote lately, and when: OCI reports each write back as an event. */
    private final Map<String, Instant> recentWrites = new ConcurrentHashMap<>();
    static final Duration OWN_WRITE_WINDOW = Duration.ofSeconds(30);
    private volatile Requeuer requeuer = new NoRequeuer();
    private volatile Duration fanOutBelow = Duration.ofSeconds(60);

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

    /** Where deferred work and hand-offs go (set once the wiring exists: a local requeuer calls back into this). */
    public void requeueWith(Requeuer r, Duration fanOutBelow) {
        this.requeuer = r;
        this.fanOutBelow = fanOutBelow;
    }

    /**
     * Runs the request against the current configuration.
     *
     * @throws RequestException INVALID_CONFIG when the configuration is invalid, UNKNOWN_SYNC for a name it lacks
     */
    public RunReport run(RunRequest request) {
        return run(config(), request);
    }

    public RunReport run(SyncConfig cfg, RunRequest request) {
        List<SyncDefinition> selected;
        if (request.sync().isPresent()) {
            selected = List.of(find(cfg, request.sync().get()));
        } else {
            selected = cfg.syncs();
        }
        return run(cfg, selected, request);
    }

    /** Runs the syncs an event concerns. */
    public RunReport run(SyncConfig cfg, List<SyncDefinition> selected, RunRequest request) {
        String runId = UUID.randomUUID().toString();
        Instant deadline = request.deadline().orElseGet(() -> clock.instant().plus(budget));
        List<SyncReport> reports = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (SyncDefinition sync : selected) {
            SyncReport report = null;
            Duration left = Duration.between(clock.instant(), deadline);
            Duration needed = longest.multipliedBy(2).compareTo(fanOutBelow) > 0 ? longest.multipliedBy(2)
                    : fanOutBelow;
            if (selected.size() > 1 && !request.dryRun() && left.compareTo(needed) < 0) {
                report = handOff(sync, request);
            }
            if (report == null) {
                Instant started = clock.instant();
                report = withRetry(runSync(cfg, sync, request, deadline), request);
                Duration took = Duration.between(started, clock.instant());
                longest = took.compareTo(longest) > 0 ? took : longest;
            }
            reports.add(report);
            RunLog.sync(runId, request, report);
        }
        RunReport run = new RunReport(runId, request.trigger(), request.dryRun(), reports);
        RunLog.run(run);
        return run;
    }

    /** The sync of that name, or UNKNOWN_SYNC. */
    static SyncDefinition find(SyncConfig cfg, String name) {
        return cfg.sync(name).orElseThrow(() -> new RequestException("UNKNOWN_SYNC", "sync " + name
                + " is not in the configuration (known: " + String.join(", ", cfg.syncs().stream()
                        .map(SyncDefinition::name).toList()) + ")"));
    }

    /** The current configuration, or INVALID_CONFIG. */
    SyncConfig config() {
        try {
            return config.get();
        } catch (ConfigException e) {
            throw new RequestException("INVALID_CONFIG", e.getMessage());
        }
    }

    private void rememberWrites(List<PlannedChange> outcome) {
        Instant now = clock.instant();
        recentWrites.values().removeIf(t -> t.isBefore(now.minus(OWN_WRITE_WINDOW.multipliedBy(4))));
        for (PlannedChange c : outcome) {
            if (c.secretId() != null && c.action().isMutation() && c.status() != ResultStatus.FAILED
                    && c.status() != ResultStatus.BLOCKED) {
                recentWrites.put(c.secretId(), now);
            }
        }
    }

    /**
     * Whether an event on a secret at {@code eventTime} is most likely this container's own write coming back: each
     * write of a pass turns into an OCI event, and running a pass for each would multiply the work by the number of
     * secrets written. An edit by someone else within the same few seconds is caught by the next scheduled deep pass.
     */
    boolean isOwnWrite(String secretId, Instant eventTime) {
        Instant wrote = recentWrites.get(secretId);
        return wrote != null && !eventTime.isBefore(wrote.minus(OWN_WRITE_WINDOW))
                && !eventTime.isAfter(wrote.plus(OWN_WRITE_WINDOW));
    }

    /** Forgets cached key material (an OCI event says a referenced secret changed). */
    void forgetFingerprintKeys() {
        fingerprintKeys.clear();
    }

    /**
     * Too little of this invocation is left for another sync: give it a detached invocation of its own (OCI Functions
     * scales those out), so many syncs never share one 300 s budget. Answers null when no hand-off is possible here.
     */
    private SyncReport handOff(SyncDefinition sync, RunRequest request) {
        if (request.operation() != Planner.Operation.SYNC || request.trigger().isAutomatic() && !sync.options()
                .autoSync()) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trigger", "schedule");
        body.put("sync", sync.name());
        body.put("verify", request.verify() == Verify.DEEP ? "deep" : "fast");
        body.put("force", request.force());
        if (!requeuer.handOff(sync.name(), body)) {
            return null;
        }
        return new SyncReport(sync.name(), SyncStatus.DEFERRED, false,
                Counts.ZERO, List.of(), new RetryInfo(0, clock.instant().toString()),
                OciCalls.NONE, 0, "handed off to a detached invocation of its own: too little "
                        + "of this invocation's time was left");
    }

    /** Deferred work gets a retry (back-off 15 s → 120 s, at most 8 attempts); the report says when. */
    private SyncReport withRetry(SyncReport r, RunRequest request) {
        if (!r.hasDeferred() || request.dryRun()) {
            return r;
        }
        return requeuer.retry(r.name(), request.retryAttempt() + 1)
                .map(m -> new SyncReport(r.name(), r.status(), r.initial(), r.counts(), r.results(),
                        new RetryInfo(m.attempt(), m.notBefore().toString()), r.ociCalls(), r.durationMs(), r.error()))
                .orElse(r);
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
            Planner.Operation op = request.operation();
            Map<String, BundleObservation> observed =
                    observe(executor, Planner.bundlesToRead(input, op), fpKey, deadline, destinationValues);
            Plan plan = Planner.plan(input, op, observed);
            List<PlannedChange> outcome = plan.changes();
            if (!request.dryRun()) {
                Executor.Replanner replanner = op != Planner.Operation.SYNC ? null
                        : change -> replan(change, input, plan.initial(), vault, target, executor, fpKey, deadline,
                                destinationValues);
                outcome = executor.apply(plan, new Executor.Context(target, values, destinationValues, source,
                        replanner, deadline, plan.deletionDelayDays()));
                rememberWrites(outcome);
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
        Set<String> ids = new HashSet<>(cfg.referencedSecretIds());
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
