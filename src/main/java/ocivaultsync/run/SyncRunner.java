package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import ocivaultsync.apply.Executor;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.RetryInfo;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.StatusReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryPolicy;
import ocivaultsync.report.Trigger;
import org.jboss.logging.Logger;

/**
 * One run over one or all syncs: each sync is one {@link SyncPass}; around it, the hand-off of syncs to invocations of
 * their own when time runs short, and the nudge that follows a pass which left work for later (deferred) or which
 * triggers arrived during ({@link Nudges}). Syncs are isolated: one that fails to start reports FAILED and the others
 * still run.
 */
public final class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final Supplier<SyncConfig> config;
    private final SyncPass.Wiring wiring;
    private final Duration budget;
    private final Clock clock;
    private final Set<String> configSecretIds;
    private volatile FingerprintKeys fingerprintKeys;
    private final Function<SecretRef, String> secrets;
    private final OwnWrites ownWrites = new OwnWrites();
    private final Nudges nudges;
    private volatile Requeuer requeuer = Requeuer.OFF;
    private volatile RetryPolicy policy = RetryPolicy.DEFAULT;
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
        this.secrets = secrets;
        this.fingerprintKeys = new FingerprintKeys(secrets);
        this.wiring = new SyncPass.Wiring(sources, vaults, executorSettings, clock, sleeper);
        this.budget = budget;
        this.clock = clock;
        this.nudges = new Nudges(clock);
    }

    /** Where nudges go, and their back-off (set once the wiring exists: a local requeuer calls back into this). */
    public void requeueWith(Requeuer r, RetryPolicy retries, Duration fanOutBelow) {
        this.requeuer = r;
        this.policy = retries;
        this.fanOutBelow = fanOutBelow;
    }

    /**
     * Where a vault fingerprint key's PREVIOUS version is read (by the key secret's OCID), so claims made before a
     * rotation keep verifying; without it, only the current key verifies.
     */
    public void previousKeysFrom(Function<String, java.util.Optional<String>> previous) {
        this.fingerprintKeys = new FingerprintKeys(secrets, previous);
    }

    /** Who is told of each pass (the metrics publisher); see {@link PassListener}. */
    public void onPass(PassListener listener) {
        this.passes = listener;
    }

    /** The current configuration; {@link ocivaultsync.config.ConfigException} when it is invalid. */
    public SyncConfig config() {
        return config.get();
    }

    /** Runs the syncs the request names (one, or all) against {@code cfg}. */
    public RunReport run(SyncConfig cfg, RunRequest request) {
        List<SyncDefinition> selected = request.sync().isPresent()
                ? List.of(cfg.sync(request.sync().get()).orElseThrow(() -> new UnknownSync(request.sync().get(), cfg)))
                : cfg.syncs();
        return run(cfg, selected, request);
    }

    /**
     * The status of one sync, or of all when {@code sync} is empty, as their state secrets record it: one listing per
     * destination vault, nothing read from a source, nothing run or written.
     */
    public StatusReport status(SyncConfig cfg, Optional<String> sync) {
        List<SyncDefinition> selected = sync.isPresent()
                ? List.of(cfg.sync(sync.get()).orElseThrow(() -> new UnknownSync(sync.get(), cfg))) : cfg.syncs();
        // The fingerprint key (read at most once per ovs.secret-cache-ttl) checks each state secret's claim, so a record
        // someone else edited shows as such rather than as the last outcome it claims.
        Optional<ocivaultsync.reconcile.Claims> claims;
        try {
            claims = Optional.of(fingerprintKeys.get(cfg.fingerprintKey()));
        } catch (RuntimeException e) {
            LOG.warnf("status: the fingerprint key cannot be read (%s); state secrets are shown unverified",
                    e.getClass().getSimpleName());
            claims = Optional.empty();
        }
        return new StatusReading(wiring.vaults()).read(selected, claims);
    }

    /** Runs the syncs a trigger concerns. */
    public RunReport run(SyncConfig cfg, List<SyncDefinition> selected, RunRequest request) {
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
            SyncReport handedOff = selected.size() > 1 && !request.dryRun() && left.compareTo(needed) < 0
                    ? handOff(cfg, sync, request, deadline) : null;
            Ran ran = handedOff == null ? null : new Ran(handedOff, Optional.empty());
            if (ran == null) {
                Instant started = clock.instant();
                ran = runOne(cfg, sync, request, deadline);
                Duration took = Duration.between(started, clock.instant());
                longest = took.compareTo(longest) > 0 ? took : longest;
            }
            SyncReport report = ran.report();
            reports.add(report);
            RunLog.sync(report);
            if (!request.dryRun()) {
                passEnded(sync, request.trigger(), report, ran.status());
            }
        }
        fields.sync(null);
        RunReport run = new RunReport(runId, request.trigger(), request.dryRun(), reports);
        RunLog.run(run);
        return run;
    }

    /** A sync's report, and the status its pass left on the state secret (empty when no pass ran or could say). */
    private record Ran(SyncReport report, Optional<PassStatus> status) {
        Ran(SyncReport report) {
            this(report, Optional.empty());
        }
    }

    private void passEnded(SyncDefinition sync, Trigger trigger, SyncReport report, Optional<PassStatus> status) {
        try {
            passes.passEnded(sync, trigger, report, status);
        } catch (RuntimeException e) {
            LOG.warnf("the pass listener failed (%s); the run goes on", e.getClass().getName());
        }
    }

    /** Whether a pass of this container has listed {@code secretId} as a sync's state secret. */
    public boolean isStateSecret(String secretId) {
        return wiring.stateSecretIds().contains(secretId);
    }

    /** See {@link OwnWrites#isOwnWrite}. */
    public boolean isOwnWrite(String secretId, Instant eventTime) {
        return ownWrites.isOwnWrite(secretId, eventTime);
    }

    /** Forgets cached key material (an OCI event says a referenced secret changed). */
    public void forgetFingerprintKeys() {
        fingerprintKeys.forget();
    }

    private Ran runOne(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        if (!request.isManual() && !request.isNudge() && !sync.options().autoSync()) {
            return new Ran(SyncReport.skipped(sync.name()));
        }
        if (request.dryRun()) {
            return new Ran(pass(cfg, sync, request, deadline).report());
        }
        if (request.isNudge()) {
            nudges.delivered(sync.name(), request.attempt());
        }
        Set<String> deep = request.deepIds(sync.name());
        switch (nudges.enter(sync.name(), deep, !request.isManual() && !request.isNudge())) {
            case DIRTY:
                return new Ran(SyncReport.deferred(sync.name(), null, "a pass of this sync is running in this "
                        + "container; it runs again after it"));
            case COVERED:
                Nudge pending = nudges.pending(sync.name());
                return new Ran(SyncReport.deferred(sync.name(), pending == null ? null : retryInfo(pending), "the "
                        + "retry already pending for this sync in this container covers it"));
            case ALONGSIDE:
                SyncPass.Outcome alongside = pass(cfg, sync, request, deadline);
                return new Ran(alongside.report(), alongside.status());
            default:
                break;
        }
        SyncPass.Outcome outcome;
        Set<String> dirty;
        try {
            outcome = pass(cfg, sync, request, deadline);
        } finally {
            dirty = nudges.exit(sync.name());
        }
        return new Ran(followUp(outcome, request, dirty), outcome.status());
    }

    /**
     * A pass that deferred something, or that triggers arrived during, is followed by a nudge: the next attempt by the
     * back-off (a trigger's follow-up starts a chain of its own), checking deeply what the triggers named, and, after
     * a deep pass, what it deferred. After the last attempt the schedule takes over.
     */
    private SyncReport followUp(SyncPass.Outcome outcome, RunRequest request, Set<String> dirty) {
        SyncReport r = outcome.report();
        ownWrites.remember(outcome.changes(), outcome.ociTime());
        if (!r.hasDeferred() && dirty == null) {
            return r;
        }
        int attempt = r.hasDeferred() ? request.attempt() + 1 : 1;
        if (attempt > policy.maxAttempts()) {
            RunLog.retriesUsedUp(r.name(), policy.maxAttempts());
            return r;
        }
        Set<String> deep = new HashSet<>(dirty == null ? Set.of() : dirty);
        if (r.hasDeferred()) {
            deep.addAll(request.deepIds(r.name()));
            if (request.verify() == Verify.DEEP) {
                outcome.changes().stream().filter(c -> c.status() == ResultStatus.DEFERRED && c.secretId() != null)
                        .map(PlannedChange::secretId).forEach(deep::add);
            }
        }
        Nudge next = new Nudge(r.name(), attempt, clock.instant().plus(policy.delay(attempt)), deep);
        if (!requeuer.retry(next)) {
            return r;
        }
        nudges.sent(next);
        return new SyncReport(r.name(), r.status(), r.initial(), r.counts(), r.results(), retryInfo(next),
                r.ociCalls(), r.durationMs(), r.error());
    }

    private static RetryInfo retryInfo(Nudge n) {
        return new RetryInfo(n.attempt(), n.notBefore().toString());
    }

    private SyncPass.Outcome pass(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        Set<String> protectedIds = new HashSet<>(cfg.referencedSecretIds());
        protectedIds.addAll(configSecretIds);
        return new SyncPass(wiring, sync, request, deadline, () -> fingerprintKeys.get(cfg.fingerprintKey()),
                protectedIds).run();
    }

    /**
     * Too little of this invocation is left for another sync: give it a detached invocation of its own (OCI Functions
     * scales those out), so many syncs never share one 300 s budget. A manual operation records its intent first, so
     * the handed-off pass (a nudge, which carries no intent) carries it out, auto-sync off or not. Answers null when
     * no hand-off is possible here.
     */
    private SyncReport handOff(SyncConfig cfg, SyncDefinition sync, RunRequest request, Instant deadline) {
        if (!request.isManual() && !request.isNudge() && !sync.options().autoSync() || !requeuer.canHandOff()) {
            return null;
        }
        Nudge n = new Nudge(sync.name(), 0, clock.instant(), request.deepIds(sync.name()));
        if (request.isManual()) {
            Optional<SyncReport> failed = new SyncPass(wiring, sync, request, deadline,
                    () -> fingerprintKeys.get(cfg.fingerprintKey()), Set.of()).recordOnly();
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        if (!requeuer.handOff(n)) {
            return null;
        }
        return SyncReport.deferred(sync.name(), retryInfo(n), "handed off to a detached invocation of its own: too "
                + "little of this invocation's time was left");
    }

    /** A sync the configuration does not have. */
    public static final class UnknownSync extends RuntimeException {
        public UnknownSync(String name, SyncConfig cfg) {
            super("sync " + name + " is not in the configuration (known: " + String.join(", ", cfg.syncs().stream()
                    .map(SyncDefinition::name).toList()) + ")", null, false, false);
        }
    }
}
