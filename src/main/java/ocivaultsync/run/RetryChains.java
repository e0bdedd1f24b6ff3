package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ocivaultsync.requeue.RetryMessage;

/**
 * The retry chains of this container, one per sync and operation ({@link RetryMessage#chain()}): which one is pending
 * (scheduled from here and not yet due and run), and which has a pass running here, so a second trigger joins it
 * instead of starting another chain.
 */
public final class RetryChains {

    private final Clock clock;
    /** How long after its {@code notBefore} a retry may still be running (wherever it runs). */
    private final Duration runTime;
    private final Map<String, RetryMessage> pending = new ConcurrentHashMap<>();
    /** Chains with a pass running here; true once a trigger joined it. */
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();

    public RetryChains(Clock clock, Duration runTime) {
        this.clock = clock;
        this.runTime = runTime;
    }

    /** The chain's pending retry, or null (none, or it should have run by now, wherever it ran). */
    public RetryMessage pending(String chain) {
        RetryMessage m = pending.get(chain);
        if (m != null && clock.instant().isAfter(m.notBefore().plus(runTime))) {
            pending.remove(chain, m);
            return null;
        }
        return m;
    }

    /** The pending retry of this attempt is being delivered: the chain goes on from this run. */
    public void delivered(String chain, int attempt) {
        RetryMessage m = pending.get(chain);
        if (m != null && m.attempt() == attempt) {
            pending.remove(chain, m);
        }
    }

    /** Marks a pass of the chain running; false (and the running pass learns it was joined) when one already is. */
    public boolean enter(String chain) {
        if (running.putIfAbsent(chain, false) == null) {
            return true;
        }
        running.computeIfPresent(chain, (k, v) -> true);
        return false;
    }

    /** Whether a trigger joined the running pass. */
    public boolean joined(String chain) {
        return Boolean.TRUE.equals(running.get(chain));
    }

    public void exit(String chain) {
        running.remove(chain);
    }

    /** The chain's pending retry, else the one {@code schedule} makes (remembered as pending), else empty. */
    public Optional<RetryMessage> continueWith(String chain, Supplier<Optional<RetryMessage>> schedule) {
        RetryMessage m = pending(chain);
        if (m != null) {
            return Optional.of(m);
        }
        Optional<RetryMessage> scheduled = schedule.get();
        scheduled.ifPresent(s -> pending.put(chain, s));
        return scheduled;
    }
}
