package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.Executor;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.oci.OciSetupException;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.BundleObservation;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncRecord;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Counts;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import org.jboss.logging.Logger;

/**
 * One pass of one sync: observe → plan → apply → close (docs/ARCHITECTURE.md, "Data path"). Observe lists the vault
 * and reads the sync's state secret from that listing; a manual operation first records its intent there, and every
 * pass then reconciles toward the intent recorded (a removed sync needs no source: it is never read). Plan is the pure
 * planner. Apply writes only while that intent is still the recorded one. Close records what must survive the pass:
 * whether the initial run is still pending, and whether the recorded operation's work is done. Every failure becomes
 * the sync's report; nothing escapes.
 */
final class SyncPass {

    private static final Logger LOG = Logger.getLogger(SyncPass.class);

    /** What a pass needs from the container around it. */
    record Wiring(SourceFactory sources, VaultFactory vaults, Executor.Settings settings, Clock clock,
            Sleeper sleeper, Executor.PruneDue pruneDue) {
        /** One wiring per runner, so one set of secrets due for pruning per container. */
        Wiring(SourceFactory sources, VaultFactory vaults, Executor.Settings settings, Clock clock,
                Sleeper sleeper) {
            this(sources, vaults, settings, clock, sleeper, new Executor.PruneDue());
        }
    }

    /**
     * The report, and every change of the pass with when it ended by OCI's clock (the runner remembers its own
     * writes, to know their events when they come back).
     */
    record Outcome(SyncReport report, List<PlannedChange> changes, Instant ociTime) {
    }

    private final Wiring w;
    private final SyncDefinition sync;
    private final RunRequest request;
    private final Instant deadline;
    private final Supplier<FingerprintKey> fingerprintKey;
    private final Set<String> protectedIds;
    private final CallCounter calls = new CallCounter();
    private final Instant started;
    private final Map<String, SecretValue> destinationValues = new ConcurrentHashMap<>();
    private FingerprintKey fpKey;
    private VaultPort vault;
    private Executor executor;
    private StateSecret state;
    private SecretSource source;
    /** When OCI answered the listing, by its own clock (empty when its answer did not say). */
    private Optional<Instant> listedAt = Optional.empty();

    SyncPass(Wiring wiring, SyncDefinition sync, RunRequest request, Instant deadline,
            Supplier<FingerprintKey> fingerprintKey, Set<String> protectedIds) {
        this.w = wiring;
        this.sync = sync;
        this.request = request;
        this.deadline = deadline;
        this.fingerprintKey = fingerprintKey;
        this.protectedIds = Set.copyOf(protectedIds);
        this.started = wiring.clock().instant();
    }

    Outcome run() {
        return pass();
    }

    private Outcome pass() {
        FutureTask<SourceSnapshot> fetch = null;
        try {
            fpKey = fingerprintKey.get();
            Destination target = sync.destination();
            // An automatic pass reads the source while it lists the vault; a manual one records its intent before it
            // reads anything else (the source read can be slow, and the intent must be ordered first).
            fetch = request.isManual() ? null : SourceFetch.start(source());
            List<DestinationSecret> listing;
            try {
                vault = w.vaults().open(target.region(), calls);
                listing = vault.list(target);
                listedAt = vault.serverNow();
            } catch (VaultException e) {
                return failed("destination: cannot list the vault's secrets: " + e.describe());
            }
            state = new StateSecret(sync.name(), vault, target, listing, deadline, w.clock(), w.sleeper(),
                    w.settings().backoff(), w.settings().maxThrottleRetries());
            Optional<Outcome> stop = intent(listing, false);
            if (stop.isPresent()) {
                return stop.get();
            }
            SyncRecord record = state.current();
            Operation op = request.isManual() && request.dryRun() ? request.operation().get()
                    : record.toward(request.operation());
            SourceSnapshot snapshot = new SourceSnapshot(List.of());
            if (op != Operation.REMOVE) { // a removal needs ownership only, never the source
                if (fetch == null) {
                    fetch = SourceFetch.start(source());
                }
                snapshot = SourceFetch.join(fetch);
            }
            return planAndApply(target, listing, record, op, snapshot);
        } catch (RuntimeException e) {
            return failed(e);
        } finally {
            if (fetch != null) {
                fetch.cancel(true); // done by now, or its answer cannot be used
            }
        }
    }

    /**
     * Only the manual operation's first step, for a sync handed off to an invocation of its own: its intent is
     * recorded here, so the nudge that runs it there carries it out. Answers the report when that fails.
     */
    Optional<SyncReport> recordOnly() {
        try {
            fpKey = fingerprintKey.get();
            Destination target = sync.destination();
            vault = w.vaults().open(target.region(), calls);
            List<DestinationSecret> listing = vault.list(target);
            listedAt = vault.serverNow();
            state = new StateSecret(sync.name(), vault, target, listing, deadline, w.clock(), w.sleeper(),
                    w.settings().backoff(), w.settings().maxThrottleRetries());
            return intent(listing, true).map(Outcome::report).filter(r -> r.status() == SyncStatus.FAILED);
        } catch (RuntimeException e) {
            return Optional.of(failed(e).report());
        }
    }

    /** What stopped the pass, as its report says it: never a value (an unexpected exception by its type only). */
    private Outcome failed(RuntimeException e) {
        if (e instanceof SourceException) {
            return failed("source: " + e.getMessage());
        }
        if (e instanceof VaultException v) {
            return failed("destination: " + v.describe());
        }
        if (e instanceof ConfigException || e instanceof OciSetupException
                || e instanceof SecretResolver.UnreadableSecretException || e instanceof IllegalArgumentException) {
            return failed("setup: " + e.getMessage());
        }
        LOG.errorf("sync %s stopped by an unexpected %s", sync.name(), e.getClass().getName());
        return failed("internal error (" + e.getClass().getSimpleName() + ")");
    }

    /** The sync's source, opened once and only when needed (a removal never opens it). */
    private SecretSource source() {
        if (source == null) {
            source = w.sources().open(sync, deadline);
        }
        return source;
    }

    /**
     * The intent this pass reconciles toward: a manual operation (not a dry run) records its own first; a pass finds
     * nothing to do when the recorded mode cannot be read, or when it is a nudge of a sync with auto-sync off whose
     * manual operation is done. Answers the outcome when the pass stops here.
     */
    private Optional<Outcome> intent(List<DestinationSecret> listing, boolean handedOff) {
        if (request.isManual() && !request.dryRun()) {
            Operation op = request.operation().get();
            // A state secret this creates says the initial run is pending when an initial run could touch an
            // untagged secret: no second write (refused while it is CREATING) before the plan's first.
            Planner.Input now = new Planner.Input(policy(false, Verify.FAST), List.of(), listing);
            boolean touchable = !Planner.untaggedFitting(now).isEmpty() && Planner.isInitial(now);
            try {
                state.recordIntent(op, r -> handedOff ? r.opened(request.force(), request.verify() == Verify.DEEP) : r,
                        touchable ? Optional.of(SyncRecord.reachEnd(listing, listedAt)) : Optional.empty());
            } catch (VaultException e) {
                // Nothing is written, and nothing retried: a retry the record does not know of could undo a later
                // operation.
                return Optional.of(failed("destination: this " + op.wire() + " could not be recorded on the sync's "
                        + "state secret (" + e.describe().replaceFirst("\\.$", "") + "); nothing was written, run the "
                        + op.wire() + " again"));
            }
        }
        SyncRecord record = state.current();
        if (record.mode().isEmpty()) {
            return Optional.of(failed("destination: the state secret " + record.name() + " says "
                    + ocivaultsync.reconcile.OwnershipTags.MODE + "=" + record.modeTag()
                    + ", neither active nor removed; nothing is planned until a manual sync, import or remove records "
                    + "what this sync is for"));
        }
        if (request.isNudge() && !sync.options().autoSync() && !record.open()) {
            return Optional.of(new Outcome(SyncReport.skipped(sync.name()), List.of(), ociNow()));
        }
        return Optional.empty();
    }

    private Outcome planAndApply(Destination target, List<DestinationSecret> listing, SyncRecord record,
            Operation op, SourceSnapshot snapshot) {
        Map<String, SecretValue> values = new HashMap<>();
        List<SourceEntry> entries = new ArrayList<>();
        for (SourceSecret s : snapshot.secrets()) {
            values.putIfAbsent(s.key(), s.value());
            entries.add(new SourceEntry(s.key(), s.value().isEmpty() ? null : s.value().fingerprint(fpKey),
                    s.value().size(), s.origin(), s.version()));
        }
        // A manual sync forces with its own request; a nudge with the approval its open operation recorded. An
        // automatic trigger never forces.
        boolean force = request.isManual() ? request.force() : request.isNudge() && record.forced();
        Verify verify = request.isNudge() && record.deepened() ? Verify.DEEP : request.verify();
        Planner.Input input = new Planner.Input(policy(force, verify), entries, listing, record);
        executor = new Executor(vault, w.settings(), w.clock(), w.sleeper(), w.pruneDue());
        Plan plan = Planner.plan(input, op, observe(Planner.bundlesToRead(input, op)));
        if (request.dryRun()) {
            return report(plan.initial(), plan.changes());
        }
        List<PlannedChange> outcome = plan.changes();
        boolean marks = plan.initial() && touchesUntagged(plan, input, op) && !record.initialPending();
        if (marks || !plan.pending().isEmpty()) {
            try {
                if (marks) {
                    state.markPending(SyncRecord.reachEnd(listing, listedAt)); // checks the intent in the same write
                } else if (!state.stillCurrent()) {
                    return superseded();
                }
            } catch (StateSecret.Superseded e) {
                return superseded();
            } catch (VaultException e) {
                List<PlannedChange> notStarted = notStarted(plan, e);
                return report(plan.initial(), notStarted);
            }
        }
        Executor.Context ctx = new Executor.Context(sync.name(), target, values, destinationValues,
                op == Operation.REMOVE ? null : source(), deadline, plan.deletionDelayDays(), sync.options().keepVersions());
        executor.pruneDue(listing, ctx);
        outcome = executor.apply(plan, ctx);
        outcome = decideTakenNamesAgain(outcome, input, plan, ctx, target);
        return report(plan.initial(), close(outcome, plan, input, op, record));
    }

    private SyncPolicy policy(boolean force, Verify verify) {
        return new SyncPolicy(sync.name(), sync.source().environment(), sync.options().keySchema(),
                sync.options().initialSyncBehavior(), sync.options().disableSecretDeletion(),
                sync.options().deletionDelayDays(), sync.options().deletionGuard(), force, verify,
                request.deepIds(sync.name()), fpKey.id(), protectedIds);
    }

    /**
     * Whether the plan touches an untagged secret (an adoption, import or deletion to carry out, or one that waits),
     * so the initial run must be recorded pending before the first write: a pass cut short after it leaves the next
     * pass initial, to finish it. A manual import on an initial sync marks it as well. Nothing to do on an untagged
     * secret (one already on its way out) marks nothing.
     */
    private static boolean touchesUntagged(Plan plan, Planner.Input input, Operation op) {
        if (op == Operation.REMOVE) {
            return false;
        }
        Set<String> untagged = Planner.untaggedFitting(input);
        return op != Operation.SYNC || plan.changes().stream().anyMatch(c -> c.secretId() != null
                && untagged.contains(c.secretId()) && (c.isPending() || c.status() == ResultStatus.DEFERRED
                        || c.status() == ResultStatus.BLOCKED));
    }

    /**
     * The initial run could not be recorded pending first, so nothing of the plan is written: every pending change
     * waits (DEFERRED when the state secret was busy, FAILED on a refusal), and the state secret's result says why.
     */
    private List<PlannedChange> notStarted(Plan plan, VaultException failure) {
        boolean later = failure.kind() == VaultException.Kind.INCORRECT_STATE
                || failure.kind() == VaultException.Kind.THROTTLED || failure.kind() == VaultException.Kind.TRANSIENT;
        Reason reason = later ? Reason.STATE_CHANGED : Reason.VAULT_ERROR;
        String why = "the initial run could not be recorded first: " + failure.describe().replaceFirst("\\.$", "");
        List<PlannedChange> out = new ArrayList<>();
        for (PlannedChange c : plan.changes()) {
            out.add(!c.isPending() ? c : c.with(later ? ResultStatus.DEFERRED : ResultStatus.FAILED, reason,
                    "not started: " + why));
        }
        out.add(stateResult(later, reason, why));
        return out;
    }

    /**
     * Records what must survive the pass, in one compare-and-set (only while the intent is the one this pass acted
     * on): the initial run pending until a pass ends with none of its decisions outstanding (an import leaves it
     * pending: only a sync pass finishes it); a manual operation that left work for its retries opens its work (they
     * then carry its force and deep check, and run with auto-sync off); and open work closed once a pass ends with
     * nothing deferred or blocked. Nothing starts after the deadline: what is left as it is only makes the next pass
     * do it.
     */
    private List<PlannedChange> close(List<PlannedChange> outcome, Plan plan, Planner.Input input, Operation op,
            SyncRecord acted) {
        boolean deferred = outcome.stream().anyMatch(c -> c.status() == ResultStatus.DEFERRED);
        boolean waits = deferred || outcome.stream().anyMatch(c -> c.status() == ResultStatus.BLOCKED);
        boolean opens = request.isManual() && deferred && !acted.open();
        boolean closesWork = acted.open() && !waits;
        boolean tracksInitial = plan.initial() && op != Operation.REMOVE;
        boolean outstanding = op != Operation.SYNC || Planner.initialOutstanding(input, outcome);
        boolean initialChanges = tracksInitial && outstanding != state.current().initialPending();
        if (!opens && !closesWork && !initialChanges || w.clock().instant().isAfter(deadline)) {
            return outcome;
        }
        Optional<Instant> since = state.current().initialSince();
        try {
            state.close(r -> {
                SyncRecord next = opens ? r.opened(request.force(), request.verify() == Verify.DEEP)
                        : closesWork && r.open() ? r.closed() : r;
                if (!initialChanges || !r.initialSince().equals(since)) {
                    return next; // someone else's pending run: not this pass's to close
                }
                return next.withInitial(outstanding, Optional.of(SyncRecord.reachEnd(input.destination(),
                        listedAt)));
            }, initialChanges && outstanding || opens);
            return outcome;
        } catch (StateSecret.Superseded e) {
            LOG.infof("sync %s: a later operation was recorded while this pass ran; its state is left as it is",
                    sync.name());
            return outcome;
        } catch (VaultException e) {
            if (!initialChanges || !outstanding) {
                // The next pass finds nothing outstanding and says so itself; open work that cannot be recorded
                // leaves its retries to the recorded intent alone (unforced, and with auto-sync off not at all).
                LOG.infof("sync %s: its state secret could not be brought up to date (%s)", sync.name(),
                        e.describe());
                return outcome;
            }
            List<PlannedChange> out = new ArrayList<>(outcome);
            boolean later = e.kind() == VaultException.Kind.INCORRECT_STATE
                    || e.kind() == VaultException.Kind.THROTTLED || e.kind() == VaultException.Kind.TRANSIENT;
            out.add(stateResult(later, later ? Reason.STATE_CHANGED : Reason.VAULT_ERROR,
                    "the initial run's state could not be recorded: " + e.describe()));
            return out;
        }
    }

    /** A create met "name already exists": look at that name again, decide again, and carry that out, once. */
    private List<PlannedChange> decideTakenNamesAgain(List<PlannedChange> outcome, Planner.Input input, Plan plan,
            Executor.Context ctx, Destination target) {
        if (outcome.stream().noneMatch(c -> c.reason() == Reason.NAME_TAKEN)) {
            return outcome;
        }
        List<PlannedChange> out = new ArrayList<>(outcome.size());
        for (PlannedChange c : outcome) {
            out.add(c.reason() == Reason.NAME_TAKEN ? decideAgain(c, input, plan, ctx, target) : c);
        }
        return out;
    }

    private PlannedChange decideAgain(PlannedChange taken, Planner.Input input, Plan plan, Executor.Context ctx,
            Destination target) {
        if (w.clock().instant().isAfter(deadline)) {
            return taken.with(ResultStatus.DEFERRED, Reason.OUT_OF_TIME, null);
        }
        List<DestinationSecret> holders;
        try {
            holders = vault.findByName(target, taken.name());
        } catch (VaultException e) {
            return taken;
        }
        // The one-name listing lacks the state secret: the record the pass planned with still says whether, and
        // since when, the initial run reaches untagged secrets (one that took a name after the listing is newer).
        Planner.Input one = new Planner.Input(input.policy(),
                input.source().stream().filter(e -> e.key().equals(taken.key())).toList(), holders,
                state.current().initialPending() ? state.current()
                        : state.current().withInitial(plan.initial(), Optional.of(SyncRecord.reachEnd(
                                input.destination(), listedAt))));
        Set<String> reads = Planner.bundlesToReadForName(one, plan.initial(), taken.name());
        PlannedChange again = Planner.planName(one, plan.initial(), taken.name(), observe(reads));
        if (again.action() == Action.CREATE) {
            return taken; // still no holder we can see: the name stays taken, by something this sync cannot know
        }
        if (!again.isPending()) {
            return again;
        }
        // The same executor path as any plan, so a re-planned IMPORT writes into the source before it adopts.
        return executor.apply(new Plan(plan.sync(), plan.initial(), plan.deletionDelayDays(), List.of(again)), ctx)
                .get(0);
    }

    private PlannedChange stateResult(boolean later, Reason reason, String detail) {
        SyncRecord r = state.current();
        String name = r.name() == null ? "ovs-state-" + sync.name() : r.name();
        return later ? PlannedChange.deferred(null, name, Action.NONE, r.secretId(), reason, detail, null)
                : PlannedChange.failed(null, name, Action.NONE, r.secretId(), reason, detail);
    }

    /** Reads bundles and reduces them to fingerprints; the values are kept only for imports. */
    private Map<String, BundleObservation> observe(Set<String> ids) {
        Map<String, BundleObservation> out = new LinkedHashMap<>();
        executor.readAll(ids, deadline).forEach((id, read) -> {
            if (read.value() != null) {
                destinationValues.put(id, read.value());
                out.put(id, new BundleObservation.Read(read.value().fingerprint(fpKey)));
            } else {
                out.put(id, new BundleObservation.Unreadable(read.error()));
            }
        });
        return out;
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
