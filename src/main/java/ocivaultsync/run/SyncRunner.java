package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import ocivaultsync.apply.Executor;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.report.RetryInfo;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.NoRequeuer;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryMessage;
import org.jboss.logging.Logger;

/**
 * One run over one or all syncs: each sync is one {@link SyncPass}; around it, the hand-off of syncs to invocations of
 * their own when time runs short, and the retry of deferred work. Syncs are isolated: one that fails to start reports
 * FAILED and the others still run.
 * One retry chain per sync and operation ({@link RetryChains}): an automatic trigger joins a running pass (its work
 * carried by the retry that follows) or a pending retry that already covers its work; a manual run never joins.
 */
public final class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final Supplier<SyncConfig> config;
    private final SyncPass.Wiring wiring;
    private final Duration budget;
    private final Clock clock;
    private final Set<String> configSecretIds;
    private final FingerprintKeys fingerprintKeys;
    private final OwnWrites ownWrites;
    private final RetryChains chains;
    private volatile Requeuer requeuer = new NoRequeuer();
    private volatile Duration fanOutBelow = Duration.ofSeconds(60);
    private volatile PassListener passes = PassListener.NONE;

    /**
     * @param configSecretIds the secret holding the configuration itself ({@code OVS_CONFIG_SECRET_ID}), if any:
     *                        protected like every secret the configuration refers to
     */
    public SyncRunner(Supplier<SyncConfig> config, SourceFactory sources, VaultFactory vaults,
            Function<SecretRef, String> secrets, Executor.Settings executorSettings, Duration budget, Clock clock,
            Sleeper sleeper, Set<String> configSecretIds) {
        this.configSecretIds = Set.copyOf(configSecretIds);
        this.config = config;
        this.fingerprintKeys = new FingerprintKeys(secrets);
        this.wiring = new SyncPass.Wiring(sources, vaults, executorSettings, clock, sleeper);
        this.budget = budget;
        this.clock = clock;
        this.ownWrites = new OwnWrites(clock);
        this.chains = new RetryChains(clock);
    }

    /** Where deferred work and hand-offs go (set once the wiring exists: a local requeuer calls back into this). */
    public void requeueWith(Requeuer r, Duration fanOutBelow) {
        this.requeuer = r;
        this.fanOutBelow = fanOutBelow;
    }

    /** Who is told of each pass (the metrics publisher); see {@link PassListener}. */
    public void onPass(PassListener listener) {
        this.passes = listener;
    }

    /** Runs the request against the current configuration; {@link RequestException} INVALID_CONFIG, UNKNOWN_SYNC. */
    public RunReport run(RunRequest request) {
        return run(config(), request);
    }

    public RunReport run(SyncConfig cfg, RunRequest request) {
        return run(cfg, request.sync().isPresent() ? List.of(find(cfg, request.sync().get())) : cfg.syncs(), request);
    }

    /** Runs the syncs an event concerns. */
    public RunReport run(SyncConfig cfg, List<SyncDefinition> selected, RunRequest request) {
        if (!request.continues() && request.since() == null) {
            request = request.withSince(clock.instant()); // a new chain starts: its retries and hand-offs carry this
        }
        String runId = UUID.randomUUID().toString();
        try (RunLog.Fields fields = new RunLog.Fields(runId, request.trigger())) {
            return run(cfg, selected, request, runId, fields);
        }
    }

    /** The run itself, inside its logging context: every line it logs, on any thread, names it. */
    private RunReport run(SyncConfig cfg, List<SyncDefinition> selected, RunRequest request, String runId,
            RunLog.Fields fields) {
        Instant deadline = request.deadline().orElseGet(() -> clock.instant().plus(budget));
        List<SyncReport> reports = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (SyncDefinition sync : selected) {
            fields.sync(sync.name());
            Duration left = Duration.between(clock.instant(), deadline);
            Duration needed = longest.multipliedBy(2).compareTo(fanOutBelow) > 0 ? longest.multipliedBy(2)
                    : fanOutBelow;
            SyncReport report = selected.size() > 1 && !request.dryRun() && left.compareTo(needed) < 0
                    ? handOff(sync, request) : null;
            if (report == null) {
                Instant started = clock.instant();
                report = runOne(cfg, sync, request, deadline);
                Duration took = Duration.between(started, clock.instant());
                longest = took.compareTo(longest) > 0 ? took : longest;
            }
            reports.add(report);
            RunLog.sync(report);
            if (!request.dryRun()) {
                passEnded(sync, request.trigger(), report);
            }
        }
        fields.sync(null);
        RunReport run = new RunReport(runId, request.trigger(), request.dryRun(), reports);
        RunLog.run(run);
        return run;
    }

    private void passEnded(SyncDefinition sync, Trigger trigger, SyncReport report) {
        try {
            passes.passEnded(sync, trigger, report);
        } catch (RuntimeException e) {
            LOG.warnf("the pass listener failed (%s); the run goes on", e.getClass().getName());
        }
    }

    /** The sync of that name, or UNKNOWN_SYNC. */
    public static SyncDefinition find(SyncConfig cfg, String name) {
        return cfg.sync(name).orElseThrow(() -> new RequestException("UNKNOWN_SYNC", "sync " + name
                + " is not in the configuration (known: " + String.join(", ", cfg.syncs().stream()
                        .map(SyncDefinition::name).toList()) + ")"));
    }

    /** The current configuration, or INVALID_CONFIG. */
    public SyncConfig config() {
        try {
            return config.get();
        } catch (ConfigException e) {
            throw new RequestException("INVALID_CONFIG", e.getMessage());
        }
    }

    /** See {@link OwnWrites#isOwnWrite}. */
    public boolean isOwnWrite(String secretId, Instant eventTime) {
        return ownWrites.isOwnWrite(secretId, eventTime);
    }

    /** Forgets cached key material (an OCI event says a referenced secret changed). */
    public void forgetFingerprintKeys() {
        fingerprintKeys.forget();
    }

    private SyncReport runOne(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        if (request.origin().isAutomatic() && !sync.options().autoSync()) {
            return SyncReport.skipped(sync.name());
        }
        if (request.dryRun()) {
            return pass(cfg, sync, request, deadline).report();
        }
        String chain = RetryMessage.chain(sync.name(), request.operation());
        RetryMessage work = request.work(sync.name());
        if (request.continues()) {
            chains.delivered(chain, request.retryAttempt());
        }
        // A manual run never joins: the user asked for its options (force, deep) and is told what they did.
        boolean manual = request.trigger() == Trigger.MANUAL;
        if (manual) {
            chains.supersede(sync.name(), request.operation());
        }
        RetryChains.Entry entry = chains.enter(chain, work, !manual);
        if (entry == RetryChains.Entry.JOINED) {
            return RetryReports.joined(sync, null, "joined the pass of this sync already running in this "
                    + "container: the retry that follows it carries this run's work");
        }
        SyncReport report;
        RetryMessage joinedMeanwhile = null;
        try {
            RetryMessage pending = manual || request.continues() ? null : chains.pendingCovering(chain, work);
            if (pending != null) {
                report = RetryReports.joined(sync, pending,
                        "joined the retry already pending for this sync in this container");
            } else {
                SyncPass.Outcome outcome = pass(cfg, sync, request, deadline);
                ownWrites.remember(outcome.changes());
                report = outcome.report();
            }
        } finally {
            if (entry == RetryChains.Entry.OWNER) {
                joinedMeanwhile = chains.exit(chain);
            }
        }
        return RetryReports.withRetry(report, request, chain, joinedMeanwhile, manual, chains,
                m -> requeuer.retry(m), clock);
    }

    private SyncPass.Outcome pass(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        Set<String> protectedIds = new HashSet<>(cfg.referencedSecretIds());
        protectedIds.addAll(configSecretIds);
        return new SyncPass(wiring, sync, request, deadline, () -> fingerprintKeys.get(cfg.fingerprintKey()),
                protectedIds).run();
    }

    /**
     * Too little of this invocation is left for another sync: give it a detached invocation of its own (OCI Functions
     * scales those out), so many syncs never share one 300 s budget. Answers null when no hand-off is possible here.
     */
    private SyncReport handOff(SyncDefinition sync, RunRequest request) {
        if (request.origin().isAutomatic() && !sync.options().autoSync()
                || !requeuer.handOff(request.work(sync.name()).at(0, clock.instant()))) {
            return null;
        }
        return SyncReport.deferred(sync.name(), new RetryInfo(0, clock.instant().toString()), "handed off to a "
                + "detached invocation of its own: too little of this invocation's time was left");
    }
}
