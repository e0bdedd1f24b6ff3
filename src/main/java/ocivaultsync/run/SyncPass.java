package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.Executor;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.oci.OciSetupException;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.Bookkeeping;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Claims;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncRecord;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Counts;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.PassOutcome;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import org.jboss.logging.Logger;

/**
 * One pass of one sync: observe → plan → apply → close (docs/ARCHITECTURE.md, "Data path").
 *
 * <ul>
 * <li><b>Observe</b>: list the vault and read the sync's state secret from that listing; a manual operation first
 * records its intent there. Every pass then reconciles toward the intent recorded: a removed sync's source is never
 * read.</li>
 * <li><b>Plan</b>: the pure planner.</li>
 * <li><b>Apply</b>: only while that intent is still the recorded one (read once more before the first write).</li>
 * <li><b>Close</b>: record what must survive the pass ({@link Bookkeeping}).</li>
 * </ul>
 * Every failure becomes the sync's report; nothing escapes.
 */
final class SyncPass {

    private static final Logger LOG = Logger.getLogger(SyncPass.class);

    /** What a pass needs from the container around it. */
    record Wiring(SourceFactory sources, VaultFactory vaults, Executor.Settings settings, Clock clock,
            Sleeper sleeper, Executor.PruneDue pruneDue, Set<String> stateSecretIds) {
        /**
         * One wiring per runner, so one set of secrets due for pruning per container, and one of the state secrets
         * its passes have listed (their events run nothing).
         */
        Wiring(SourceFactory sources, VaultFactory vaults, Executor.Settings settings, Clock clock,
                Sleeper sleeper) {
            this(sources, vaults, settings, clock, sleeper, new Executor.PruneDue(), ConcurrentHashMap.newKeySet());
        }
    }

    /**
     * The report, and every change of the pass with when it ended by OCI's clock (the runner remembers its own
     * writes, to know their events when they come back), and the status the pass left on its state secret (or would
     * have: the one it computed when the write failed); empty when it ran no pass or could not list the vault.
     */
    record Outcome(SyncReport report, List<PlannedChange> changes, Instant ociTime, Optional<PassStatus> status) {
        Outcome(SyncReport report, List<PlannedChange> changes, Instant ociTime) {
            this(report, changes, ociTime, Optional.empty());
        }
    }

    private final Wiring w;
    private final SyncDefinition sync;
    private final RunRequest request;
    private final Instant deadline;
    private final Supplier<Claims> fingerprintKey;
    private final Set<String> protectedIds;
    private final CallCounter calls = new CallCounter();
    private final Instant started;
    private final Map<String, SecretValue> destinationValues = new ConcurrentHashMap<>();
    private Claims claims;
    private Destination target;
    private VaultPort vault;
    private List<DestinationSecret> listing;
    /** When OCI answered the listing, by its own clock (empty when its answer did not say). */
    private Optional<Instant> listedAt = Optional.empty();
    private StateSecret state;
    /** This manual operation created the sync's state secret for its initial run (reports say so). */
    private boolean firstRun;
    private SecretSource source;
    private Executor executor;
    /** The status this pass recorded or computed ({@link #run}). */
    private Optional<PassStatus> status = Optional.empty();
    /** The close wrote (or decided not to write) the status with its bookkeeping. */
    private boolean statusClosed;
    /** The state secret refused this pass's first write: a status write would meet the same refusal. */
    private boolean stateRefused;

    SyncPass(Wiring wiring, SyncDefinition sync, RunRequest request, Instant deadline,
            Supplier<Claims> fingerprintKey, Set<String> protectedIds) {
        this.w = wiring;
        this.sync = sync;
        this.request = request;
        this.deadline = deadline;
        this.fingerprintKey = fingerprintKey;
        this.protectedIds = Set.copyOf(protectedIds);
        this.started = wiring.clock().instant();
    }

    /**
     * The pass, and then its status: a pass that listed the vault records its outcome on the state secret (the close
     * folds it into its own write; any other outcome, a failure say, is written on its own), only when it changes.
     */
    Outcome run() {
        Outcome o = pass();
        SyncReport r = o.report();
        if (!statusClosed && state != null && !request.dryRun() && !stateRefused
                && PassOutcome.of(r).isPresent()) {
            status = recordStatus(r);
            // The report counts the status write's calls too.
            r = new SyncReport(r.name(), r.status(), r.initial(), r.counts(), r.results(), r.retry(),
                    calls.snapshot(), elapsed(), r.error());
        }
        if (state != null && state.current().exists()) {
            w.stateSecretIds().add(state.current().secretId()); // one this pass created, too
        }
        return new Outcome(r, o.changes(), o.ociTime(), request.dryRun() ? Optional.empty() : status);
    }

    private Outcome pass() {
        try {
            target = sync.destination();
            // The source is read only once the recorded intent is known: a manual operation records its own before it
            // reads anything else (the source read can be slow, and the intent must be ordered first), and a pass
            // toward `removed` never reads it (a removed sync's identity may be revoked in Infisical by now).
            Optional<Outcome> stop = observe(false);
            if (stop.isPresent()) {
                return stop.get();
            }
            SyncRecord record = state.current();
            Operation op = request.isManual() && request.dryRun() ? request.operation().get()
                    : record.toward(request.operation());
            // A removal needs ownership only, never the source.
            SourceSnapshot snapshot = op == Operation.REMOVE ? new SourceSnapshot(List.of()) : source().fetch();
            return planAndApply(record, op, snapshot);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /**
     * Only the manual operation's first step, for a sync handed off to an invocation of its own: its intent is
     * recorded (its work open), so the nudge that runs it there carries it out. Answers the report when that fails.
     */
    Optional<SyncReport> recordOnly() {
        try {
            target = sync.destination();
            return observe(true).map(Outcome::report).filter(r -> r.status() == SyncStatus.FAILED);
        } catch (RuntimeException e) {
            return Optional.of(failed(e).report());
        }
    }

    /**
     * Lists the vault and reads the intent this pass reconciles toward: a manual operation (not a dry run) records its
     * own first. Answers the outcome when the pass stops here: the vault cannot be listed, the intent cannot be
     * recorded or read, or this is a nudge of a sync with auto-sync off whose manual operation's work is done.
     */
    private Optional<Outcome> observe(boolean handedOff) {
        try {
            vault = w.vaults().open(target.region(), calls);
            listing = vault.list(target);
            listedAt = vault.serverNow();
        } catch (VaultException e) {
            return Optional.of(failed("destination: cannot list the vault's secrets: " + e.describe()));
        }
        listing.stream().filter(DestinationSecret::isStateSecret).map(DestinationSecret::id)
                .forEach(w.stateSecretIds()::add);
        // The key signs and verifies every claim, the state secret's included: without it nothing is read as the
        // sync's, and nothing can be recorded (the pass fails; the status function shows the last recorded outcome).
        claims = fingerprintKey.get();
        state = new StateSecret(sync.name(), claims, vault, target, listing, deadline, w.clock(), w.sleeper(),
                w.settings().backoff(), w.settings().maxThrottleRetries());
        // A sync whose initial run has not happened and could touch an untagged secret: whatever write creates its
        // state secret (a manual operation's record, a failing pass's status) records that run pending, its reach
        // ending at this listing, so no second write (refused while it is CREATING) comes before the plan's first.
        // With nothing untagged in its reach, an initial run is done as it starts.
        Planner.Input listed = new Planner.Input(policy(false, Verify.FAST), List.of(), listing);
        boolean initial = !state.current().exists() && Planner.isInitial(listed);
        if (initial && !Planner.untaggedFitting(listed).isEmpty()) {
            state.createsPendingInitialRun(SyncRecord.reachEnd(listing, listedAt));
        }
        if (request.isManual() && !request.dryRun()) {
            Operation op = request.operation().get();
            firstRun = initial;
            try {
                state.recordIntent(op, r -> handedOff ? r.opened(request.force(), request.verify() == Verify.DEEP) : r);
            } catch (VaultException e) {
                // Nothing is written, and nothing retried: a retry the record does not know of could undo a later one.
                stateRefused = true;
                return Optional.of(failed("destination: this " + op.wire() + " could not be recorded on the sync's "
                        + "state secret (" + e.describe().replaceFirst("\\.$", "") + "); nothing was written, run the "
                        + op.wire() + " again"));
            }
            if (!handedOff) {
                // The record is read fresh; the listing must be at least as fresh, or a pass another container finished
                // meanwhile (its adoptions, the initial run it closed) would be planned against as if undone.
                try {
                    listing = vault.list(target);
                    listedAt = vault.serverNow();
                } catch (VaultException e) {
                    return Optional.of(failed("destination: the " + op.wire() + " is recorded, but the vault's "
                            + "secrets cannot be listed (" + e.describe().replaceFirst("\\.$", "") + "); nothing was "
                            + "written, run the " + op.wire() + " again"));
                }
            }
        }
        SyncRecord record = state.current();
        if (record.mode().isEmpty()) {
            return Optional.of(failed("destination: the state secret " + record.name() + " says " + OwnershipTags.MODE
                    + "=" + record.modeTag() + ", neither active nor removed; nothing is planned until a manual sync, "
                    + "import or remove records what this sync is for"));
        }
        if (request.isNudge() && !sync.options().autoSync() && !record.open()) {
            return Optional.of(new Outcome(SyncReport.skipped(sync.name()), List.of(), ociNow()));
        }
        return Optional.empty();
    }

    private Outcome planAndApply(SyncRecord record, Operation op, SourceSnapshot snapshot) {
        Map<String, SecretValue> values = new HashMap<>();
        List<SourceEntry> entries = new ArrayList<>();
        for (SourceSecret s : snapshot.secrets()) {
            values.putIfAbsent(s.key(), s.value());
            entries.add(new SourceEntry(s.key(), s.value().isEmpty() ? null
                    : claims.fingerprint(sync.name(), s.key(), s.value()),
                    s.value().size(), s.origin(), s.version()));
        }
        // A manual sync forces with its own request; a nudge with the approval its open operation recorded (and
        // checks deeply as it asked). An automatic trigger never forces.
        boolean force = request.isManual() ? request.force() : request.isNudge() && record.forced();
        Verify verify = request.isNudge() && record.deepened() ? Verify.DEEP : request.verify();
        Planner.Input input = new Planner.Input(policy(force, verify), entries, listing, record);
        executor = new Executor(vault, w.settings(), w.clock(), w.sleeper(), w.pruneDue());
        Plan plan = Planner.plan(input, op, observed(Planner.bundlesToRead(input, op)));
        if (request.dryRun()) {
            return report(plan.initial(), plan.changes());
        }
        boolean initial = plan.initial() || firstRun;
        boolean marks = Planner.touchesUntagged(plan, input, op) && !record.initialPending();
        if (marks || !plan.pending().isEmpty()) {
            try {
                if (marks) {
                    state.markPending(SyncRecord.reachEnd(listing, listedAt)); // checks the intent, same write
                } else if (!state.stillCurrent()) {
                    return superseded();
                }
            } catch (StateSecret.Superseded e) {
                return superseded();
            } catch (VaultException e) {
                stateRefused = true;
                String why = "the initial run could not be recorded first: " + e.describe().replaceFirst("\\.$", "");
                List<PlannedChange> out = new ArrayList<>(Planner.notStarted(plan, e.isPassing(),
                        e.isPassing() ? Reason.STATE_CHANGED : Reason.VAULT_ERROR, why));
                out.add(stateResult(e, why));
                return report(initial, out);
            }
        }
        Executor.Context ctx = new Executor.Context(sync.name(), target, values, destinationValues,
                op == Operation.REMOVE ? null : source(), deadline, plan.deletionDelayDays(),
                sync.options().keepVersions());
        executor.pruneDue(listing.stream().filter(s -> claims.owns(s, sync.name())).toList(), ctx);
        List<PlannedChange> outcome = executor.decideTakenNamesAgain(executor.apply(plan, ctx), plan, ctx,
                (taken, holders) -> decideAgain(taken, holders, input, plan.initial()));
        return report(initial, close(Bookkeeping.after(state.current(), request.isManual(), request.force(),
                request.verify() == Verify.DEEP, plan, op, input, outcome,
                SyncRecord.reachEnd(listing, listedAt)), outcome, plan.initial()));
    }

    /**
     * The decision for a name another writer took after the listing, from its holders now. The one-name listing
     * lacks the state secret: the record the pass planned with still says whether, and since when, the initial run
     * reaches untagged secrets (one that took a name after the listing is newer than its reach).
     */
    private PlannedChange decideAgain(PlannedChange taken, List<DestinationSecret> holders, Planner.Input input,
            boolean initial) {
        SyncRecord r = state.current();
        Planner.Input one = new Planner.Input(input.policy(), input.source().stream()
                .filter(e -> e.key().equals(taken.key())).toList(), holders, r.initialPending() ? r
                        : r.withInitial(initial, Optional.of(SyncRecord.reachEnd(listing, listedAt))));
        return Planner.planName(one, initial, taken.name(),
                observed(Planner.bundlesToReadForName(one, initial, taken.name())));
    }

    /**
     * Writes what the pass must leave on its state secret, its status included, in one compare-and-set, nothing after
     * the deadline; nothing at all when neither changes (a steady pass). A failure only makes the next pass do it;
     * only a pending initial run that cannot be recorded shows in the report.
     */
    private List<PlannedChange> close(Bookkeeping b, List<PlannedChange> outcome, boolean initial) {
        statusClosed = true;
        SyncReport ended = SyncReport.of(sync.name(), initial, outcome, false, null, OciCalls.NONE, 0);
        StatusWrite s = statusWrite(ended);
        status = Optional.of(s.listed());
        if (!b.writes() && !s.changes() && !state.signedUnderOlderKey() || w.clock().instant().isAfter(deadline)) {
            return outcome;
        }
        Optional<Instant> since = state.current().initialSince();
        try {
            if (b.creates() || b.opens()) {
                state.close(r -> b.applyTo(r, since), s.overlay(), true);
            } else {
                // Closing finished work, the initial run done, the status: a later pass can do it as well, so a
                // state secret still CREATING or UPDATING (this pass's own create) is not waited for.
                state.recordStatus(r -> b.applyTo(r, since), s.overlay());
            }
            status = PassStatus.of(state.current().tags()).or(() -> status);
            return outcome;
        } catch (StateSecret.Superseded e) {
            LOG.infof("sync %s: a later operation was recorded while this pass ran; its state is left to it",
                    sync.name());
            return outcome;
        } catch (VaultException e) {
            if (!b.initial().orElse(false)) {
                LOG.infof("sync %s: its state secret could not be brought up to date (%s)", sync.name(),
                        e.describe());
                return outcome;
            }
            List<PlannedChange> out = new ArrayList<>(outcome);
            out.add(stateResult(e, "the initial run's state could not be recorded: " + e.describe()));
            return out;
        }
    }

    /**
     * How the pass's outcome changes the status tags: over whatever tags a write finds ({@code overlay}, so a 412
     * makes it again over the newer ones), and over the tags this pass last saw ({@code listed}); {@code changes}
     * when those would change, or the sync has no state secret yet to hold them. The time is OCI's (the {@code Date}
     * of its answers), never this container's.
     */
    private record StatusWrite(UnaryOperator<Map<String, String>> overlay, PassStatus listed, boolean changes) {
    }

    private StatusWrite statusWrite(SyncReport ended) {
        Optional<Instant> at = vault.serverNow();
        Optional<String> reason = PassStatus.reasonOf(ended);
        PassOutcome outcome = PassOutcome.of(ended).orElseThrow();
        Map<String, String> seen = state.current().tags();
        PassStatus listed = PassStatus.after(PassStatus.of(seen), outcome, reason, at);
        return new StatusWrite(t -> PassStatus.after(PassStatus.of(t), outcome, reason, at).overlay(t), listed,
                !state.current().exists() || !listed.overlay(seen).equals(seen));
    }

    /**
     * The status of a pass that did not close (it failed, or stopped before its writes), written on its own, only
     * when it changes, creating the state secret when the sync has none: a sync whose first pass fails shows it. What
     * cannot be written is logged; the report stays as it is.
     */
    private Optional<PassStatus> recordStatus(SyncReport report) {
        StatusWrite s;
        try {
            s = statusWrite(report);
        } catch (RuntimeException e) {
            LOG.warnf("sync %s: its status could not be worked out (%s)", sync.name(), e.getClass().getName());
            return Optional.empty();
        }
        if (!s.changes() || w.clock().instant().isAfter(deadline)) {
            return Optional.of(s.listed());
        }
        try {
            state.recordStatus(s.overlay());
            return PassStatus.of(state.current().tags()).or(() -> Optional.of(s.listed()));
        } catch (StateSecret.Superseded e) {
            LOG.infof("sync %s: a later operation was recorded while this pass ran; its status is left to it",
                    sync.name());
        } catch (VaultException e) {
            LOG.infof("sync %s: its status could not be recorded on its state secret (%s)", sync.name(),
                    e.describe());
        } catch (RuntimeException e) {
            LOG.warnf("sync %s: its status could not be recorded on its state secret (%s)", sync.name(),
                    e.getClass().getName());
        }
        return Optional.of(s.listed());
    }

    private SyncPolicy policy(boolean force, Verify verify) {
        return new SyncPolicy(sync.name(), sync.source().environment(), sync.options().keySchema(),
                sync.options().initialSyncBehavior(), sync.options().disableSecretDeletion(),
                sync.options().deletionDelayDays(), sync.options().deletionGuard(), force, verify,
                request.deepIds(sync.name()), claims, protectedIds);
    }

    /** The sync's source, opened once and only when needed (a removal never opens it). */
    private SecretSource source() {
        if (source == null) {
            source = w.sources().open(sync, deadline);
        }
        return source;
    }

    private Map<String, ocivaultsync.reconcile.BundleObservation> observed(Map<String, String> reads) {
        return executor.observe(reads, (key, value) -> claims.fingerprint(sync.name(), key, value), destinationValues,
                deadline);
    }

    /** The state secret's own result, when the write of the initial run's state was refused: deferred when passing. */
    private PlannedChange stateResult(VaultException e, String detail) {
        SyncRecord r = state.current();
        String name = r.name() == null ? SyncRecord.nameFor(sync.name(), Set.of()) : r.name();
        return e.isPassing()
                ? PlannedChange.deferred(null, name, Action.NONE, r.secretId(), Reason.STATE_CHANGED, detail, null)
                : PlannedChange.failed(null, name, Action.NONE, r.secretId(), Reason.VAULT_ERROR, detail);
    }

    private Outcome report(boolean initial, List<PlannedChange> changes) {
        return new Outcome(SyncReport.of(sync.name(), initial, changes, request.verbose(), null, calls.snapshot(),
                elapsed()), changes, ociNow());
    }

    /** A later manual operation was recorded while this pass ran: it wrote nothing (the report's error says so). */
    private Outcome superseded() {
        return new Outcome(new SyncReport(sync.name(), SyncStatus.SKIPPED, false, Counts.ZERO, List.of(), null,
                calls.snapshot(), elapsed(), "superseded by a later operation"), List.of(), ociNow());
    }

    /** What stopped the pass, as its report says it: never a value (an unexpected exception by its type only). */
    private Outcome failed(RuntimeException e) {
        if (e instanceof SourceException) {
            return failed("source: " + e.getMessage());
        }
        if (e instanceof VaultException v) {
            return failed("destination: " + v.describe());
        }
        if (e instanceof StateSecret.Unverified) {
            return failed("destination: " + e.getMessage());
        }
        if (e instanceof ConfigException || e instanceof OciSetupException
                || e instanceof SecretResolver.UnreadableSecretException) {
            return failed("setup: " + e.getMessage());
        }
        // Only the type: an unexpected exception's message could quote anything, values included (a JDK
        // IllegalArgumentException quotes an HTTP header value it refuses, an access token say).
        LOG.errorf("sync %s stopped by an unexpected %s", sync.name(), e.getClass().getName());
        return failed("internal error (" + e.getClass().getSimpleName() + ")");
    }

    private Outcome failed(String error) {
        return new Outcome(SyncReport.failed(sync.name(), error, calls.snapshot(), elapsed()), List.of(), ociNow());
    }

    /** Now by OCI's clock when its answers said, else by this container's. */
    private Instant ociNow() {
        return (vault == null ? Optional.<Instant>empty() : vault.serverNow()).orElseGet(w.clock()::instant);
    }

    private long elapsed() {
        return Duration.between(started, w.clock().instant()).toMillis();
    }
}
