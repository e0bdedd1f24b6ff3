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
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
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
     */
    public record Context(Destination target, Map<String, SecretValue> sourceValues,
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
            } else {
                values.put(c.key(), v);
            }
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
                SecretValue v = c.writesContent() ? value(c, ctx) : null;
                long version;
                try {
                    version = vault.update(c.secretId(), v, c.tags());
                } catch (VaultException e) {
                    // OCI's 30 versions in use, met by a container that did not know the secret was due: the secret
                    // is ACTIVE (it refused the update), so prune now and try once more.
                    if (e.kind() != VaultException.Kind.LIMIT || v == null
                            || !pruner.pruneForLimit(c.secretId(), ctx.keepVersions(), ctx.deadline())) {
                        throw e;
                    }
                    version = vault.update(c.secretId(), v, c.tags());
                }
                if (v != null) {
                    pruner.updated(c.secretId(), version, ctx.keepVersions());
                }
                return done(c, c.secretId());
            }
            case DELETE -> {
                vault.scheduleDeletion(c.secretId(), clock.instant().plus(Duration.ofDays(ctx.deletionDelayDays())));
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
     * Secrets due for pruning ({@link VersionPruner}): updated to a version number at or above {@code keepVersions}.
     * One per runner, kept for the container's life only; a new container relies on the limit's retry.
     */
    public static final class PruneDue {
        final java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    }

    /** Prunes the listed secrets that are due and ACTIVE; see {@link VersionPruner#pruneDue}. */
    public void pruneDue(List<DestinationSecret> listing, Context ctx) {
        pruner.pruneDue(listing, ctx.keepVersions(), ctx.deadline());
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
                futures.add(pool.submit(() -> runOne(j, limit, deadline)));
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
