package ocivaultsync.function;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.oci.OciSetupException;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.BundleObservation;
import ocivaultsync.reconcile.CallCounter;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Executor;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SourceEntry;
import ocivaultsync.reconcile.SyncPolicy;
import ocivaultsync.reconcile.SyncReport;
import ocivaultsync.reconcile.SyncState;
import ocivaultsync.reconcile.VaultException;
import ocivaultsync.reconcile.VaultPort;
import ocivaultsync.reconcile.VaultTarget;
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
            Executor.Sleeper sleeper) {
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
    private VaultTarget target;
    private Executor executor;

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
        } catch (IllegalArgumentException e) {
            return failed("setup: " + e.getMessage());
        } catch (RuntimeException e) {
            // Only the type: an unexpected exception's message could quote anything, values included.
            LOG.errorf("sync %s stopped by an unexpected %s", sync.name(), e.getClass().getName());
            return failed("internal error (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Outcome pass() {
        fpKey = fingerprintKey.get();
        SecretSource source = w.sources().open(sync, deadline);
        // The source and the vault are independent: fetch one while listing the other. A source failure still wins
        // (nothing is written), and a list failure still means nothing is planned.
        CompletableFuture<SourceSnapshot> fetch = CompletableFuture.supplyAsync(source::fetch, FETCHER);
        target = new VaultTarget(sync.destination().region(), sync.destination().compartmentId(),
                sync.destination().vaultId(), sync.destination().keyId());
        List<DestinationSecret> destination = null;
        RuntimeException listFailure = null;
        try {
            vault = w.vaults().open(target.region(), calls);
            destination = vault.list(target);
        } catch (RuntimeException e) {
            listFailure = e;
        }
        SourceSnapshot snapshot = join(fetch);
        if (listFailure instanceof VaultException e) {
            return failed("destination: cannot list the vault's secrets: " + e.describe());
        } else if (listFailure != null) {
            throw listFailure;
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
                sync.options().deletionDelayDays(), sync.options().deletionGuard(), request.force(), request.verify(),
                request.deepSecretIds().getOrDefault(sync.name(), Set.of()), fpKey.id(), protectedIds);
        Planner.Input input = new Planner.Input(policy, entries, destination);
        executor = new Executor(vault, w.settings(), w.clock(), w.sleeper());
        Planner.Operation op = request.operation();
        Plan plan = Planner.plan(input, op, observe(Planner.bundlesToRead(input, op)));
        List<PlannedChange> outcome = plan.changes();
        if (!request.dryRun()) {
            Executor.Context ctx = new Executor.Context(target, values, destinationValues, source, deadline,
                    plan.deletionDelayDays(), sync.options().keepVersions());
            executor.pruneDue(destination, ctx);
            outcome = executor.apply(plan, ctx);
            outcome = decideTakenNamesAgain(outcome, input, plan, ctx);
            if (plan.initial() && op != Planner.Operation.REMOVE) {
                outcome = recordInitialState(outcome, input, destination, op);
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
        List<DestinationSecret> holders;
        try {
            holders = vault.findByName(target, taken.name());
        } catch (VaultException e) {
            return taken;
        }
        Planner.Input one = new Planner.Input(input.policy(),
                input.source().stream().filter(e -> e.key().equals(taken.key())).toList(), holders);
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
     * The initial run lasts until a pass ends with none of its decisions outstanding: the state secret says
     * {@code pending} until then (created only when needed, so a run that completes at once costs nothing more).
     * An import on an initial sync leaves the initial run pending: only a sync pass finishes it.
     */
    private List<PlannedChange> recordInitialState(List<PlannedChange> outcome, Planner.Input input,
            List<DestinationSecret> destination, Planner.Operation op) {
        boolean outstanding = op != Planner.Operation.SYNC || Planner.initialOutstanding(input, outcome);
        Optional<DestinationSecret> state = SyncState.find(sync.name(), destination);
        boolean marked = SyncState.initialPending(sync.name(), destination);
        if (outstanding == marked || !outstanding && state.isEmpty()) {
            return outcome;
        }
        String name = SyncState.nameFor(sync.name());
        try {
            if (state.isPresent()) {
                vault.update(state.get().id(), null, SyncState.tags(sync.name(), outstanding));
            } else {
                vault.create(target, name, SyncState.value(sync.name()), SyncState.tags(sync.name(), true));
            }
            return outcome;
        } catch (VaultException e) {
            // Unrecorded, the next pass would not know the initial run is unfinished: make sure there is one.
            List<PlannedChange> out = new ArrayList<>(outcome);
            boolean later = e.kind() == VaultException.Kind.INCORRECT_STATE
                    || e.kind() == VaultException.Kind.THROTTLED;
            out.add(new PlannedChange(null, name, Action.NONE, later ? ResultStatus.DEFERRED : ResultStatus.FAILED,
                    later ? Reason.STATE_CHANGED : Reason.VAULT_ERROR, "the initial run's state could not be "
                            + "recorded: " + e.describe(), state.map(DestinationSecret::id).orElse(null), false,
                    Map.of(), false, null));
            return out;
        }
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

    private Outcome failed(String error) {
        return new Outcome(SyncReport.failed(sync.name(), error, calls.snapshot(),
                Duration.between(started, w.clock().instant()).toMillis()), List.of());
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Source fetches run here while the calling thread lists the vault; daemon threads, made on demand. */
    private static final java.util.concurrent.ExecutorService FETCHER = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "ovs-source-fetch");
                t.setDaemon(true);
                return t;
            });
}
