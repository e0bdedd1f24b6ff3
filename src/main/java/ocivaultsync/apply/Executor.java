package ocivaultsync.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.reconcile.BundleObservation;
import ocivaultsync.reconcile.Fingerprint;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.ImportSink;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.Sleeper;

/**
 * Carries out a plan: one call per pending change, with bounded parallelism that halves and backs off on OCI's 429s,
 * one result per secret, never a sleep on a lifecycle transition.
 *
 * <p>Precedence of outcomes: a change that succeeded is DONE (RESTORE: DEFERRED when the value still has to be
 * written); a throttled call is retried with back-off while the invocation's budget lasts; a call that meets a state
 * change (409 IncorrectState) is DEFERRED to a later pass; a create that meets "name already exists" is FAILED with
 * {@link Reason#NAME_TAKEN}, for the caller to decide that name again from a fresh look; anything else is FAILED with
 * OCI's code and request id. One change never fails another.
 *
 * <p>Version hygiene (pruning the versions an update leaves behind) is {@link VersionPruner}'s.
 */
public final class Executor {

    /** Tuning. */
    public record Settings(int parallelism, int maxThrottleRetries, Duration initialBackoff, Duration maxBackoff) {
        public static Settings defaults() {
            return new Settings(8, 6, Duration.ofMillis(250), Duration.ofSeconds(8));
        }

        /** How long a throttled call waits before it is tried again. */
        public Backoff backoff() {
            return new Backoff(initialBackoff, maxBackoff);
        }
    }

    /**
     * What a plan is carried out with.
     *
     * @param sourceValues      source values by key (what CREATE and UPDATE write)
     * @param destinationValues bundle values read for planning, by secret id (what IMPORT writes into the source)
     * @param imports           where imports go; may be null when the plan has none
     * @param deadline          no new call starts after it; what is left is DEFERRED
     * @param keepVersions      versions in use a secret keeps after an update (0: no version hygiene)
     * @param sync              whose plan this is (version hygiene prunes only what that sync owns)
     */
    public record Context(String sync, Destination target, Map<String, SecretValue> sourceValues,
            Map<String, SecretValue> destinationValues, ImportSink imports, Instant deadline,
            int deletionDelayDays, int keepVersions) {
    }

    /** A bundle read: the value, or why not. */
    public record Read(SecretValue value, String error) {
    }

    private final VaultPort vault;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final VersionPruner pruner;

    public Executor(VaultPort vault, Settings settings, Clock clock, Sleeper sleeper) {
        this(vault, settings, clock, sleeper, new PruneDue());
    }

    public Executor(VaultPort vault, Settings settings, Clock clock, Sleeper sleeper, PruneDue pruneDue) {
        this.vault = vault;
        this.pruner = new VersionPruner(vault, clock, pruneDue);
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The plan's changes with every pending one carried out (or marked why not). */
    public List<PlannedChange> apply(Plan plan, Context ctx) {
        // Outcomes by the very change they come from: a name two source keys collide on has one entry per key.
        Map<PlannedChange, PlannedChange> byName = new java.util.IdentityHashMap<>();
        List<PlannedChange> imports = plan.pending().stream().filter(c -> c.action() == Action.IMPORT).toList();
        List<PlannedChange> work = new ArrayList<>(plan.pending().stream()
                .filter(c -> c.action() != Action.IMPORT).toList());
        work.addAll(importIntoSource(imports, ctx, byName));

        List<Job<PlannedChange>> jobs = new ArrayList<>();
        for (PlannedChange c : work) {
            jobs.add(new Job<>() {
                @Override
                public PlannedChange run() {
                    return execute(c, ctx);
                }

                @Override
                public PlannedChange failed(VaultException e) {
                    return failure(c, e, ctx);
                }

                @Override
                public PlannedChange outOfTime() {
                    return c.with(ResultStatus.DEFERRED, Reason.OUT_OF_TIME, null);
                }
            });
        }
        List<PlannedChange> done = runAll(jobs, ctx.deadline());
        for (int i = 0; i < work.size(); i++) {
            byName.put(work.get(i), done.get(i));
        }
        return plan.changes().stream().map(c -> byName.getOrDefault(c, c)).toList();
    }

    /** Reads the current bundles of {@code secretIds}, in parallel, within the budget. */
    public Map<String, Read> readAll(Collection<String> secretIds, Instant deadline) {
        List<String> ids = List.copyOf(secretIds);
        List<Job<Read>> jobs = new ArrayList<>();
        for (String id : ids) {
            jobs.add(new Job<>() {
                @Override
                public Read run() {
                    return new Read(vault.readCurrent(id), null);
                }

                @Override
                public Read failed(VaultException e) {
                    return new Read(null, e.describe());
                }

                @Override
                public Read outOfTime() {
                    return new Read(null, "not read: the invocation's time budget ran out");
                }
            });
        }
        List<Read> reads = runAll(jobs, deadline);
        Map<String, Read> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), reads.get(i));
        }
        return out;
    }

    /**
     * Reads the current bundles of {@code reads} (secret id → the source key its value is compared under) and reduces
     * each to {@code fingerprint} of its value under that key; the values are kept in {@code keep} (imports write them
     * into the source) and go nowhere else.
     */
    public Map<String, BundleObservation> observe(Map<String, String> reads,
            java.util.function.BiFunction<String, SecretValue, Fingerprint> fingerprint,
            Map<String, SecretValue> keep, Instant deadline) {
        Map<String, BundleObservation> out = new LinkedHashMap<>();
        readAll(reads.keySet(), deadline).forEach((id, read) -> {
            if (read.value() != null) {
                keep.put(id, read.value());
                out.put(id, new BundleObservation.Read(fingerprint.apply(reads.get(id), read.value())));
            } else {
                out.put(id, new BundleObservation.Unreadable(read.error()));
            }
        });
        return out;
    }

    /**
     * A create met "name already exists" (another writer took the name after the listing): look at that name again,
     * decide again with {@code decide} (the holders as OCI lists them now), and carry that out, once. A name still
     * without a visible holder stays taken, by something this sync cannot know.
     */
    public List<PlannedChange> decideTakenNamesAgain(List<PlannedChange> outcome, Plan plan, Context ctx,
            java.util.function.BiFunction<PlannedChange, List<DestinationSecret>, PlannedChange> decide) {
        List<PlannedChange> out = new ArrayList<>(outcome.size());
        for (PlannedChange c : outcome) {
            if (c.reason() != Reason.NAME_TAKEN) {
                out.add(c);
            } else if (clock.instant().isAfter(ctx.deadline())) {
                out.add(c.with(ResultStatus.DEFERRED, Reason.OUT_OF_TIME, null));
            } else {
                PlannedChange again;
                try {
                    again = decide.apply(c, vault.findByName(ctx.target(), c.name()));
                } catch (VaultException e) {
                    again = null;
                }
                // The same executor path as any plan, so a re-planned IMPORT writes into the source before it adopts.
                out.add(again == null || again.action() == Action.CREATE ? c : !again.isPending() ? again
                        : apply(new Plan(plan.sync(), plan.initial(), plan.deletionDelayDays(), List.of(again)), ctx)
                                .get(0));
            }
        }
        return out;
    }

    /** Writes imported values into the source; answers the tag updates that adopt the imported secrets. */
    private List<PlannedChange> importIntoSource(List<PlannedChange> imports, Context ctx,
            Map<PlannedChange, PlannedChange> byName) {
        if (imports.isEmpty()) {
            return List.of();
        }
        Map<String, SecretValue> values = new LinkedHashMap<>();
        for (PlannedChange c : imports) {
            SecretValue v = ctx.destinationValues().get(c.secretId());
            if (v == null) {
                byName.put(c, c.with(ResultStatus.FAILED, Reason.UNREADABLE, "the value was not read"));
                continue;
            }
            // The source is written first, and nothing takes that back: look at the secret now, so one another
            // container began deleting (or someone else tagged) since the listing is not written into the source.
            PlannedChange stale;
            try {
                stale = unwritable(c, vault.get(c.secretId()).secret());
            } catch (VaultException e) {
                stale = failure(c, e, ctx);
            }
            if (stale != null) {
                byName.put(c, stale);
            } else {
                values.put(c.key(), v);
            }
        }
        if (values.isEmpty()) {
            return List.of();
        }
        Map<String, ImportSink.Outcome> outcomes;
        try {
            outcomes = ctx.imports() == null ? Map.of() : ctx.imports().write(values);
        } catch (RuntimeException e) {
            // The sink answers its own failures per key; one that throws is unexpected, and its message could quote
            // anything (a JDK exception quotes the header value it refuses): only its type is reported.
            String why = "internal error (" + e.getClass().getSimpleName() + ")";
            outcomes = new HashMap<>();
            for (String key : values.keySet()) {
                outcomes.put(key, ImportSink.Outcome.failed(why));
            }
        }
        List<PlannedChange> adopt = new ArrayList<>();
        for (PlannedChange c : imports) {
            if (!values.containsKey(c.key())) {
                continue;
            }
            ImportSink.Outcome o = outcomes.getOrDefault(c.key(),
                    ImportSink.Outcome.failed("the source gave no answer for this key"));
            switch (o.status()) {
                case DONE -> adopt.add(c);
                case BLOCKED -> byName.put(c, c.with(ResultStatus.BLOCKED, Reason.SOURCE_WRITE_BLOCKED,
                        o.detail()));
                default -> byName.put(c, c.with(ResultStatus.FAILED, Reason.SOURCE_WRITE_FAILED, o.detail()));
            }
        }
        return adopt;
    }

    private PlannedChange execute(PlannedChange c, Context ctx) {
        switch (c.action()) {
            case CREATE -> {
                try {
                    String id = vault.create(ctx.target(), c.name(), value(c, ctx), c.tags());
                    return done(c, id);
                } catch (VaultException e) {
                    if (e.kind() != VaultException.Kind.NAME_EXISTS) {
                        throw e;
                    }
                    // Another writer took the name between our list and our create: the caller decides it again.
                    return c.with(ResultStatus.FAILED, Reason.NAME_TAKEN, failure(c, e, ctx).detail());
                }
            }
            case UPDATE, IMPORT -> {
                return conditionalUpdate(c, c.writesContent() ? value(c, ctx) : null, ctx);
            }
            case DELETE -> {
                Instant now = vault.serverNow().orElseGet(clock::instant);
                vault.scheduleDeletion(c.secretId(), now.plus(Duration.ofDays(ctx.deletionDelayDays())));
                return done(c, c.secretId());
            }
            case RESTORE -> {
                vault.cancelDeletion(c.secretId());
                return c.restoreCompletes() ? done(c, c.secretId())
                        : c.with(ResultStatus.DEFERRED, Reason.RESTORED_WRITE_LATER, null);
            }
            default -> {
                return c;
            }
        }
    }

    /**
     * An update decided on what the listing showed, written over what the secret holds now: read it (GetSecret), and
     * write only if it is still ACTIVE and still this sync's (or still nobody's, for an adoption), with its tags
     * (others' kept) and the etag of that read. A 412 means it was written in between: the write this change asked for
     * may be what landed (the SDK's retry of a lost answer), so it is read once more; anything else is decided again
     * on a later pass. So a lost answer never leaves a second version and no other writer's tag is dropped.
     */
    private PlannedChange conditionalUpdate(PlannedChange c, SecretValue v, Context ctx) {
        VaultPort.Versioned seen = vault.get(c.secretId());
        PlannedChange unwritable = unwritable(c, seen.secret());
        if (unwritable != null) {
            return unwritable;
        }
        Map<String, String> tags = OwnershipTags.overlay(seen.secret().freeformTags(), c.tags());
        long version;
        try {
            version = vault.update(c.secretId(), v, tags, seen.etag());
        } catch (VaultException e) {
            if (e.kind() == VaultException.Kind.CONFLICT) {
                return landed(c, v, seen) ? done(c, c.secretId())
                        : c.with(ResultStatus.DEFERRED, Reason.STATE_CHANGED, "written by someone else after it was "
                                + "read; decided again on a later pass");
            }
            // OCI's 30 versions in use, met by a container that did not know the secret was due: the secret is ACTIVE
            // (it refused the update), so prune now and try once more, over a fresh read.
            if (e.kind() != VaultException.Kind.LIMIT || v == null
                    || !pruner.pruneForLimit(c.secretId(), ctx.keepVersions(), ctx.deadline())) {
                throw e;
            }
            VaultPort.Versioned again = vault.get(c.secretId());
            version = vault.update(c.secretId(), v, OwnershipTags.overlay(again.secret().freeformTags(), c.tags()),
                    again.etag());
        }
        if (v != null) {
            pruner.updated(ctx.sync(), c.secretId(), version, ctx.keepVersions());
        }
        return done(c, c.secretId());
    }

    /** Why the secret as read now cannot take the change planned from the listing, or null when it can. */
    private static PlannedChange unwritable(PlannedChange c, DestinationSecret now) {
        String owner = now.freeformTags().get(OwnershipTags.SYNC);
        String ours = c.tags().get(OwnershipTags.SYNC);
        if (owner != null && !owner.equals(ours) || now.isStateSecret()) {
            return c.with(ResultStatus.FAILED, Reason.NAME_HELD, "another owner tagged it after it was listed");
        }
        if (now.state() != LifecycleState.ACTIVE) {
            return c.with(ResultStatus.DEFERRED, Reason.STATE_CHANGED, now.state().name());
        }
        return null;
    }

    /** After a 412: whether what this change writes is what the secret now holds, written after {@code seen}. */
    private boolean landed(PlannedChange c, SecretValue v, VaultPort.Versioned seen) {
        VaultPort.Versioned now = vault.get(c.secretId());
        boolean tagsLanded = c.tags().entrySet().stream()
                .allMatch(e -> e.getValue().equals(now.secret().freeformTags().get(e.getKey())));
        return tagsLanded && (v == null || now.currentVersion() > seen.currentVersion());
    }

    /**
     * Secrets due for pruning ({@link VersionPruner}): updated to a version number at or above {@code keepVersions}.
     * One per runner, kept for the container's life only; a new container relies on the limit's retry.
     */
    public static final class PruneDue {
        /** Secret id → the sync whose update made it due. */
        final Map<String, String> ids = new java.util.concurrent.ConcurrentHashMap<>();
    }

    /** Prunes the listed secrets that are due and ACTIVE; see {@link VersionPruner#pruneDue}. */
    public void pruneDue(List<DestinationSecret> listing, Context ctx) {
        pruner.pruneDue(ctx.sync(), listing, ctx.keepVersions(), ctx.deadline());
    }

    private static SecretValue value(PlannedChange c, Context ctx) {
        SecretValue v = ctx.sourceValues().get(c.key());
        if (v == null) {
            throw new VaultException(VaultException.Kind.INVALID, 0, "NoValue",
                    "the source value of " + c.key() + " is not available", null);
        }
        return v;
    }

    private static PlannedChange done(PlannedChange c, String id) {
        return c.done(id);
    }

    private static PlannedChange failure(PlannedChange c, VaultException e, Context ctx) {
        SecretValue v = c.key() == null ? null : ctx.sourceValues().get(c.key());
        String detail = redact(e.describe(), v == null ? List.of() : List.of(v));
        if (e.kind() == VaultException.Kind.INCORRECT_STATE) {
            return c.with(ResultStatus.DEFERRED, Reason.STATE_CHANGED, detail);
        }
        return c.with(ResultStatus.FAILED, Reason.VAULT_ERROR, detail);
    }

    private static String redact(String text, Collection<SecretValue> values) {
        String out = text;
        for (SecretValue v : values) {
            out = v.redactFrom(out);
        }
        return out;
    }

    // ---- bounded, adaptive parallelism ----

    private interface Job<R> {
        R run();

        R failed(VaultException e);

        R outOfTime();
    }

    private <R> List<R> runAll(List<Job<R>> jobs, Instant deadline) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        int threads = Math.max(1, Math.min(settings.parallelism(), jobs.size()));
        AdaptiveLimit limit = new AdaptiveLimit(threads);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ovs-exec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(jobs.size());
            for (Job<R> j : jobs) {
                // Each call runs with the caller's logging context, so a line logged on a pool thread names its run.
                futures.add(pool.submit(LogContext.carried(() -> runOne(j, limit, deadline))));
            }
            List<R> out = new ArrayList<>(jobs.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    out.add(jobs.get(i).failed(new VaultException(VaultException.Kind.UNKNOWN, 0, "InternalError",
                            cause.getClass().getSimpleName(), null)));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying a plan", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private <R> R runOne(Job<R> job, AdaptiveLimit limit, Instant deadline) throws InterruptedException {
        for (int attempt = 0;; attempt++) {
            if (!limit.acquire(clock, deadline)) {
                return job.outOfTime();
            }
            boolean throttled = false;
            try {
                return job.run();
            } catch (VaultException e) {
                if (e.kind() != VaultException.Kind.THROTTLED || attempt >= settings.maxThrottleRetries()) {
                    return job.failed(e);
                }
                throttled = true;
            } finally {
                limit.release(throttled);
            }
            Duration wait = settings.backoff().jittered(attempt);
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(wait) <= 0) {
                return job.outOfTime();
            }
            sleeper.sleep(wait);
        }
    }

}
