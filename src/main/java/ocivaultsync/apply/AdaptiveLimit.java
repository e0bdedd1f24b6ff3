package ocivaultsync.apply;

/**
 * How many calls may be in flight: starts at the configured parallelism, halves on every throttled call and grows back
 * by one after a run of successes (additive increase, multiplicative decrease, as TCP does), so a pass backs off
 * quickly from OCI's 429s and recovers slowly.
 */
public final class AdaptiveLimit {

    private final int max;
    private int limit;
    private int inFlight;
    private int successes;

    public AdaptiveLimit(int max) {
        this.max = Math.max(1, max);
        this.limit = this.max;
    }

    /**
     * Takes a slot for a call; answers false, taking none, when the deadline has passed, checked again after any
     * wait for a slot, so no call starts after the deadline.
     */
    public synchronized boolean acquire(java.time.Clock clock, java.time.Instant deadline) throws InterruptedException {
        while (clock.instant().isBefore(deadline) && inFlight >= limit) {
            long left = java.time.Duration.between(clock.instant(), deadline).toMillis();
            wait(Math.max(1, Math.min(left, 1_000)));
        }
        if (!clock.instant().isBefore(deadline)) {
            return false;
        }
        inFlight++;
        return true;
    }

    public synchronized void release(boolean throttled) {
        inFlight--;
        if (throttled) {
            limit = Math.max(1, limit / 2);
            successes = 0;
        } else if (limit < max && ++successes >= limit * 4) {
            limit++;
            successes = 0;
        }
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }
}
