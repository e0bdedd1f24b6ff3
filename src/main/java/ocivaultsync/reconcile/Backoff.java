package ocivaultsync.reconcile;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The one back-off formula of the product: the wait before retry {@code n} (0 for the first retry) doubles from
 * {@code first} and stops at {@code cap}. Throttled vault calls (the executor), the SDK's own retries (the OCI
 * clients), Infisical's 429s and the retries of deferred work (docs/ARCHITECTURE.md, "Retries and hand-offs") all
 * wait by it; the ones that many callers may hit at once wait a jittered share of it ({@link #jittered}).
 *
 * <p>Here rather than beside one of its users because every package that retries may import {@code reconcile}
 * (docs/ARCHITECTURE.md, "Packages"); it is a plain formula, no I/O.
 */
public record Backoff(Duration first, Duration cap) {

    /** Doubling stops here, long after any cap is reached, so the shift cannot overflow. */
    private static final int MAX_DOUBLINGS = 20;

    /** {@code first × 2^n}, at most {@code cap}; {@code n} below 0 counts as 0. */
    public Duration delay(int n) {
        long ms = first.toMillis() << Math.min(Math.max(n, 0), MAX_DOUBLINGS);
        return Duration.ofMillis(Math.min(ms, cap.toMillis()));
    }

    /**
     * A wait drawn uniformly between half of {@link #delay} and all of it ("equal jitter"): concurrent callers that
     * met the same throttle spread out instead of coming back together, and none waits less than half.
     */
    public Duration jittered(int n) {
        return jittered(n, ThreadLocalRandom.current());
    }

    /** {@link #jittered(int)} drawing from {@code random}. */
    public Duration jittered(int n, RandomGenerator random) {
        long d = delay(n).toMillis();
        return Duration.ofMillis(d / 2 + random.nextLong(d / 2 + 1));
    }
}
