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
import java.util.concurrent.FutureTask;
import java.util.concurrent.ConcurrentHashMap;
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
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncState;
import ocivaultsync.report.Counts;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import org.jboss.logging.Logger;

/**
 * One pass of one sync: fetch the source while the vault is listed, read the bundles the planner asks for, plan, carry
 * the plan out (unless it is a dry run), decide again any name another writer took meanwhile, record whether the
 * initial run is still pending, and report. Every failure becomes the sync's report; nothing escapes.
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

    /** The report, and every change of the pass (the runner remembers its own writes). */
    record Outcome(SyncReport report, List<PlannedChange> changes) {
    }

    private final Wiring w;
    private final SyncDefinition sync;
    private final RunRequest request;
    private final Instant deadline;
    private final java.util.function.Supplier<FingerprintKey> fingerprintKey;
    private FingerprintKey fpKey;
    private final Set<String> protectedIds;
    private final CallCounter calls = new CallCounter();
    private final Instant started;
    private final Map<String, SecretValue> destinationValues = new ConcurrentHashMap<>();
    private VaultPort vault;
    private Destination target;
    private Executor executor;
    /** This sync's state secret, as listed or as this pass wrote it. */
    private StateSecret state;

    SyncPass(Wiring wiring, SyncDefinition sync, RunRequest request, Instant deadline,
            java.util.function.Supplier<FingerprintKey> fingerprintKey, Set<String> protectedIds) {
        this.w = wiring;
        this.sync = sync;
        this.request = request;
        this.deadline = deadline;
        this.fingerprintKey = fingerprintKey;
        this.protectedIds = Set.copyOf(protectedIds);
        this.started = wiring.clock().instant();
    }

    Outcome run() {
        try {
            return pass();
        } catch (SourceException e) {
            return failed("source: " + e.getMessage());
        } catch (ConfigException | OciSetupException | SecretResolver.UnreadableSecretException e) {
            return failed("setup: " + e.getMessage());
        } catch (VaultException e) {
            return failed("destination: " + e.describe());
        } catch (RuntimeException e) {
            // Only the type: an unexpected exception's message could quote anything, values included (a JDK
            // IllegalArgumentException quotes an HTTP header value it refuses, an access token say).
            LOG.errorf("sync %s stopped by an unexpected %s", sync.name(), e.getClass().getName());
            return failed("internal error (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Outcome pass() {
        fpKey = fingerprintKey.get();
        SecretSource source = w.sources().open(sync, deadline);
        // The source and the vault are independent: fetch one while listing the other. A source failure still wins
        // (nothing is written), and a list failure still means nothing is planned. A failed list cancels the fetch at
        // once: its answer could not be used, and an Infisical fetch may retry until the deadline.
        FutureTask<SourceSnapshot> fetch = SourceFetch.start(source);
        target = sync.destination();
        List<DestinationSecret> destination;
        try {
            vault = w.vaults().open(target.region(), calls);
            destination = vault.list(target);
        } catch (VaultException e) {
            fetch.cancel(true);
            return failed("destination: cannot list the vault's secrets: " + e.describe());
        } catch (Throwable t) {
            fetch.cancel(true);
            throw t;
        }
        state = new StateSecret(sync.name(), vault, target, destination, request.operation(), request.since(),
                started, deadline, w.clock(), w.sleeper(), w.settings().backoff(), w.settings().maxThrottleRetries());
        Optional<Operation> later = state.supersededBy();
        if (later.isPresent()) {
            fetch.cancel(true); // its answer could not be used
            return superseded(later.get());
        }
        SourceSnapshot snapshot = SourceFetch.join(fetch);
        Map<String, SecretValue> values = new HashMap<>();
        List<SourceEntry> entries = new ArrayList<>();
        for (SourceSecret s : snapshot.secrets()) {
            values.putIfAbsent(s.key(), s.value());
            entries.add(new SourceEntry(s.key(), s.value().isEmpty() ? null : s.value().fingerprint(fpKey),
                    s.value().size(), s.origin(), s.version()));
        }
        SyncPolicy policy = new SyncPolicy(sync.name(), sync.source().environment(), sync.options().keySchema(),
                sync.options().initialSyncBehavior(), sync.options().disableSecretDeletion(),
                sync.options().deletionDelayDays(), sync.options().deletionGuard(), request.force(), request.verify(),
                request.deepSecretIds().getOrDefault(sync.name(), Set.of()), fpKey.id(), protectedIds);
        Planner.Input input = new Planner.Input(policy, entries, destination);
        executor = new Executor(vault, w.settings(), w.clock(), w.sleeper(), w.pruneDue());
        Operation op = request.operation();
        Plan plan = Planner.plan(input, op, observe(Planner.bundlesToRead(input, op)));
        List<PlannedChange> outcome = plan.changes();
        // An explicit (manual) operation of another kind than the recorded one (none recorded reads as a sync; a
        // remove and anything else are the two kinds) records itself before anything is written, so no retry of an
        // older operation can undo it (README, "How a sync decides"). One that cannot record itself writes nothing
        // and is not retried, so no operation is ever pending that the record does not know of: a same-kind
        // operation later need not write again.
        boolean recordsOperation = !request.dryRun() && request.origin() == Trigger.MANUAL && state.changesKind();
        if (!request.dryRun() && (plan.initial() && op != Operation.REMOVE || recordsOperation)) {
            Optional<DestinationSecret> squatter = SyncState.squatter(sync.name(), destination);
            if (squatter.isPresent()) {
                return failed("destination: the secret " + squatter.get().name() + " holds the name of this sync's "
                        + "state secret but is not one (no " + OwnershipTags.STATE + " tag "
                        + "naming this sync); this sync records its state under that name, so rename or "
                        + "delete that secret");
            }
            SyncState.unknownValue(sync.name(), destination).ifPresent(v -> LOG.warnf("sync %s: its state secret "
                    + "says %s=%s, neither %s nor %s; read as not pending", sync.name(),
                    OwnershipTags.INITIAL, v, SyncState.PENDING, SyncState.DONE));
            if (recordsOperation) {
                state.recordThisOperation();
            }
            List<PlannedChange> notStarted;
            try {
                notStarted = writeStateFirst(plan, input, recordsOperation);
            } catch (StateSecret.Superseded e) {
                return superseded(e.by);
            }
            if (notStarted != null) {
                return new Outcome(SyncReport.of(sync.name(), plan.initial(), notStarted, request.verbose(), null,
                        calls.snapshot(), Duration.between(started, w.clock().instant()).toMillis()), notStarted);
            }
        }
        if (!request.dryRun() && request.continues() && !recordsOperation
                && plan.changes().stream().anyMatch(PlannedChange::isPending)) {
            Optional<Operation> meanwhile = state.supersededNow();
            if (meanwhile.isPresent()) {
                return superseded(meanwhile.get());
            }
        }
        if (!request.dryRun()) {
            Executor.Context ctx = new Executor.Context(target, values, destinationValues, source, deadline,
                    plan.deletionDelayDays(), sync.options().keepVersions());
            executor.pruneDue(destination, ctx);
            outcome = executor.apply(plan, ctx);
            outcome = decideTakenNamesAgain(outcome, input, plan, ctx);
            if (plan.initial() && op != Operation.REMOVE) {
                outcome = recordInitialState(outcome, input, op);
            }
        }
        SyncReport report = SyncReport.of(sync.name(), plan.initial(), outcome, request.verbose(), null,
                calls.snapshot(), Duration.between(started, w.clock().instant()).toMillis());
        return new Outcome(report, outcome);
    }

    /** A create met "name already exists": look at that name again, decide again, and carry that out, once. */
    private List<PlannedChange> decideTakenNamesAgain(List<PlannedChange> outcome, Planner.Input input, Plan plan,
            Executor.Context ctx) {
        if (outcome.stream().noneMatch(c -> c.reason() == Reason.NAME_TAKEN)) {
            return outcome;
        }
        List<PlannedChange> out = new ArrayList<>(outcome.size());
        for (PlannedChange c : outcome) {
            out.add(c.reason() == Reason.NAME_TAKEN ? decideAgain(c, input, plan, ctx) : c);
        }
        return out;
    }

    private PlannedChange decideAgain(PlannedChange taken, Planner.Input input, Plan plan, Executor.Context ctx) {
        if (w.clock().instant().isAfter(deadline)) {
            return taken.with(ResultStatus.DEFERRED, Reason.OUT_OF_TIME, null);
        }
        List<DestinationSecret> holders;
        try {
            holders = vault.findByName(target, taken.name());
        } catch (VaultException e) {
            return taken;
        }
        List<DestinationSecret> seen = new ArrayList<>(holders);
        if (plan.initial()) {
            seen.add(state.asWindow()); // the one-name listing lacks the state secret, and so the initial window
        }
        Planner.Input one = new Planner.Input(input.policy(),
                input.source().stream().filter(e -> e.key().equals(taken.key())).toList(), seen);
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

    /**
     * Before the first write, the state secret records what must survive this pass being cut short: {@code pending}
     * before the first write that touches an untagged secret (a pass that crashes, defers or fails after that write
     * leaves the next pass initial, to finish what it started), and a new explicit operation (so a stale retry of
     * another cannot undo this one). If that cannot be recorded, nothing else is written: every pending change waits
     * (DEFERRED, or FAILED on a refusal). Answers null when the pass may go on.
     */
    private List<PlannedChange> writeStateFirst(Plan plan, Planner.Input input, boolean recordsOperation) {
        Set<String> untagged = Planner.untaggedFitting(input);
        boolean touches = plan.initial() && request.operation() != Operation.REMOVE
                && (request.operation() != Operation.SYNC
                        || plan.changes().stream().anyMatch(c -> c.secretId() != null
                                && untagged.contains(c.secretId())));
        if (!recordsOperation && (!touches || state.pendingAndActive())) {
            return null;
        }
        VaultException failure;
        if (w.clock().instant().isAfter(deadline)) {
            failure = null;
        } else {
            try {
                state.writeFirst(touches);
                return null;
            } catch (VaultException e) {
                failure = e;
            }
        }
        // A new operation that could not record itself must not leave a retry behind: that retry, pending while the
        // record says otherwise, could undo a later operation of the kind the record names. It fails; run it again.
        boolean later = !recordsOperation && (failure == null || failure.kind() == VaultException.Kind.INCORRECT_STATE
                || failure.kind() == VaultException.Kind.THROTTLED || failure.kind() == VaultException.Kind.TRANSIENT);
        String why = (failure == null ? "the invocation's time budget ran out"
                : "this sync's state could not be recorded first: " + failure.describe().replaceFirst("\\.$", ""))
                + (recordsOperation ? "; nothing of the plan was written, run the " + request.operation().wire()
                        + " again" : "");
        Reason reason = failure == null ? Reason.OUT_OF_TIME : later ? Reason.STATE_CHANGED : Reason.VAULT_ERROR;
        List<PlannedChange> out = new ArrayList<>();
        for (PlannedChange c : plan.changes()) {
            // An operation that could not record itself leaves nothing to retry, what waited for a state included.
            boolean stops = c.isPending() || recordsOperation && c.status() == ResultStatus.DEFERRED;
            out.add(!stops ? c : c.with(later ? ResultStatus.DEFERRED : ResultStatus.FAILED, reason,
                    "not started: " + why));
        }
        if (failure != null || recordsOperation) {
            out.add(markerResult(later, reason, why));
        }
        return out;
    }

    /**
     * The initial run lasts until a pass ends with none of its decisions outstanding: the state secret said
     * {@code pending} before the first write that needed it, and says {@code done} once nothing is outstanding. An
     * import on an initial sync leaves the initial run pending: only a sync pass finishes it. Nothing starts after
     * the deadline: a marker left {@code pending} only makes the next pass initial again, which then finishes it.
     */
    private List<PlannedChange> recordInitialState(List<PlannedChange> outcome, Planner.Input input,
            Operation op) {
        boolean outstanding = op != Operation.SYNC || Planner.initialOutstanding(input, outcome);
        if (outstanding == state.pending() || !outstanding && !state.exists()
                || w.clock().instant().isAfter(deadline)) {
            return outcome;
        }
        try {
            state.writeClosing(outstanding);
            return outcome;
        } catch (StateSecret.Superseded e) {
            LOG.infof("sync %s: a later %s was recorded while this pass ran; its initial state is left as it is",
                    sync.name(), e.by.wire());
            return outcome;
        } catch (VaultException e) {
            if (!outstanding) {
                // Still pending: the next pass is initial, finds nothing outstanding and says done.
                LOG.infof("sync %s: the initial run is complete but its state secret still says pending (%s)",
                        sync.name(), e.describe());
                return outcome;
            }
            List<PlannedChange> out = new ArrayList<>(outcome);
            boolean later = e.kind() == VaultException.Kind.INCORRECT_STATE
                    || e.kind() == VaultException.Kind.THROTTLED || e.kind() == VaultException.Kind.TRANSIENT;
            out.add(markerResult(later, later ? Reason.STATE_CHANGED : Reason.VAULT_ERROR,
                    "the initial run's state could not be recorded: " + e.describe()));
            return out;
        }
    }

    private PlannedChange markerResult(boolean later, Reason reason, String detail) {
        String name = SyncState.nameFor(sync.name());
        return later ? PlannedChange.deferred(null, name, Action.NONE, state.id(), reason, detail, null)
                : PlannedChange.failed(null, name, Action.NONE, state.id(), reason, detail);
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

    /** A newer explicit operation of another kind was asked for: this pass does nothing (in the report's error). */
    private Outcome superseded(Operation by) {
        return new Outcome(new SyncReport(sync.name(), SyncStatus.SKIPPED, false, Counts.ZERO, List.of(), null,
                calls.snapshot(), Duration.between(started, w.clock().instant()).toMillis(), "superseded: a later "
                        + by.wire() + " was asked for on this sync after this " + request.operation().wire()
                        + " started, and the newest explicit operation wins"), List.of());
    }

    private Outcome failed(String error) {
        return new Outcome(SyncReport.failed(sync.name(), error, calls.snapshot(),
                Duration.between(started, w.clock().instant()).toMillis()), List.of());
    }
}
