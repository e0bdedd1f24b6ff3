package ocivaultsync.run;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.requeue.RetryMessage;

/**
 * The retry chains of this container, one per sync and operation ({@link RetryMessage#chain()}): which retry is
 * pending (scheduled from here and not yet due), and which chain has a pass running here, so a second trigger joins
 * it instead of starting another chain. A trigger never loses its work by joining: it joins a pending retry only when
 * that retry already covers its work ({@link #covers}), and it joins a running pass by adding its work to the
 * follow-up retry that pass schedules when it ends ({@link #exit}).
 */
public final class RetryChains {

    private final Clock clock;
    private final Map<String, RetryMessage> pending = new ConcurrentHashMap<>();
    /** Chains with a pass running here: the work triggers added while it ran (null work: none joined). */
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** The work of the triggers that joined a running pass, merged; null while none has. */
    private record Running(RetryMessage joined) {
    }

    RetryChains(Clock clock) {
        this.clock = clock;
    }

    /**
     * The chain's pending retry when it is not yet due and covers {@code work}, else null. Once due it may already
     * be running (here or in another container) past the point where it would see the joiner's change, so it is
     * forgotten: a stale entry would otherwise swallow webhooks that Infisical never redelivers.
     */
    RetryMessage pendingCovering(String chain, RetryMessage work) {
        RetryMessage m = pending.get(chain);
        if (m == null) {
            return null;
        }
        if (!clock.instant().isBefore(m.notBefore())) {
            pending.remove(chain, m);
            return null;
        }
        return covers(m, work) ? m : null;
    }

    /**
     * A manual operation starts on a sync: the pending retries of its other operations are stale (when they arrive,
     * the state secret's record supersedes them), so no automatic trigger may join them meanwhile.
     */
    public void supersede(String sync, Operation op) {
        pending.keySet().removeIf(c -> c.startsWith(sync + "/") && !c.equals(RetryMessage.chain(sync, op)));
    }

    /** The pending retry of this attempt is being delivered: the chain goes on from this run. */
    public void delivered(String chain, int attempt) {
        RetryMessage m = pending.get(chain);
        if (m != null && m.attempt() == attempt) {
            pending.remove(chain, m);
        }
    }

    /**
     * Marks a pass of the chain running here. Answers true when this pass now owns the chain's running slot; when a
     * pass already runs and {@code joinable}, adds {@code work} to what that pass's follow-up retry must do and
     * answers false; when not joinable (a manual run), answers true without taking the slot ({@code owner} false).
     */
    Entry enter(String chain, RetryMessage work, boolean joinable) {
        boolean[] owner = {false};
        running.compute(chain, (k, v) -> {
            if (v == null) {
                owner[0] = true;
                return new Running(null);
            }
            return joinable ? new Running(v.joined() == null ? work : merge(v.joined(), work)) : v;
        });
        return owner[0] ? Entry.OWNER : joinable ? Entry.JOINED : Entry.ALONGSIDE;
    }

    enum Entry { OWNER, JOINED, ALONGSIDE }

    /**
     * Ends the pass that owns the chain's running slot, atomically with any trigger joining it: answers the work
     * joined meanwhile (null when none), which the follow-up retry must carry. A trigger arriving after this finds no
     * running pass and starts its own.
     */
    RetryMessage exit(String chain) {
        Running r = running.remove(chain);
        return r == null ? null : r.joined();
    }

    /**
     * The chain's pending retry when it covers {@code work} and is not yet due, else the one {@code schedule} makes
     * (remembered as pending, so later automatic triggers can join it), else empty.
     */
    Optional<RetryMessage> continueWith(String chain, RetryMessage work, Supplier<Optional<RetryMessage>> schedule) {
        RetryMessage m = pendingCovering(chain, work);
        if (m != null) {
            return Optional.of(m);
        }
        return schedule(chain, schedule);
    }

    /** Schedules a retry of its own (a manual run never rides on another chain's options) and remembers it. */
    Optional<RetryMessage> schedule(String chain, Supplier<Optional<RetryMessage>> schedule) {
        Optional<RetryMessage> scheduled = schedule.get();
        scheduled.ifPresent(s -> pending.put(chain, s));
        return scheduled;
    }

    /**
     * Whether running {@code chain} does all of {@code work}: the same operation, every deep-check id (or a deep
     * pass), deep when asked, forced when asked, and runs whatever the work's origin runs (an automatic origin runs
     * only syncs with auto-sync on).
     */
    static boolean covers(RetryMessage chain, RetryMessage work) {
        return chain.operation() == work.operation()
                && (chain.verify() == Verify.DEEP || chain.deepSecretIds().containsAll(work.deepSecretIds()))
                && (chain.verify() == Verify.DEEP || work.verify() != Verify.DEEP)
                && (chain.force() || !work.force())
                && (!chain.origin().isAutomatic() || work.origin().isAutomatic());
    }

    /**
     * Work that does both: union of deep ids, the stronger verify, force and origin, the later attempt, and the chain
     * start of the part whose origin it keeps (a manual operation's, not the time of a webhook that joined it, which
     * would make a stale manual sync look newer than a later remove).
     */
    static RetryMessage merge(RetryMessage a, RetryMessage b) {
        Set<String> ids = new HashSet<>(a.deepSecretIds());
        ids.addAll(b.deepSecretIds());
        return new RetryMessage(a.sync(), a.operation(), a.origin().isAutomatic() ? b.origin() : a.origin(),
                a.force() || b.force(), a.verify() == Verify.DEEP || b.verify() == Verify.DEEP ? Verify.DEEP
                        : Verify.FAST, a.verbose() || b.verbose(), ids, Math.max(a.attempt(), b.attempt()),
                a.notBefore(), a.origin().isAutomatic() ? b.since() : a.since());
    }
}
