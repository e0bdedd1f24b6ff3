package ocivaultsync.requeue;

import java.time.Duration;
import ocivaultsync.reconcile.Backoff;

/** Back-off 15 s → 30 s → 60 s → 120 s (cap), at most 8 attempts (README, 'Calling it'). */
public record RetryPolicy(Duration first, Duration cap, int maxAttempts) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(15), Duration.ofSeconds(120), 8);

    /** The delay before attempt {@code attempt} (1-based); no jitter, so a retry's notBefore is predictable. */
    public Duration delay(int attempt) {
        return new Backoff(first, cap).delay(attempt - 1);
    }
}
