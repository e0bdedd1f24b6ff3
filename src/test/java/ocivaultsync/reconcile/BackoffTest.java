package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The figures of the one back-off formula, as each of its users sets it up. */
class BackoffTest {

    static List<Long> delays(Backoff b, int retries) {
        return IntStream.range(0, retries).mapToObj(n -> b.delay(n).toMillis()).toList();
    }

    @Test
    void retriesOfDeferredWorkWait15Then30Then60ThenEvery120Seconds() {
        Backoff b = new Backoff(Duration.ofSeconds(15), Duration.ofSeconds(120));
        assertEquals(List.of(15_000L, 30_000L, 60_000L, 120_000L, 120_000L, 120_000L, 120_000L, 120_000L),
                delays(b, 8));
    }

    @Test
    void throttledVaultCallsDoubleFrom250MillisecondsUpTo8Seconds() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8));
        assertEquals(List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 8_000L), delays(b, 7));
    }

    @Test
    void sdkRetriesDoubleFrom200MillisecondsUpTo2Seconds() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
        assertEquals(List.of(200L, 400L, 800L, 1_600L, 2_000L), delays(b, 5));
    }

    @Test
    void infisicalRateLimitsDoubleFromOneSecondUpTo32Seconds() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(32));
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 32_000L), delays(b, 7));
    }

    @Test
    void aNegativeRetryCountsAsTheFirstAndAHugeOneDoesNotOverflow() {
        Backoff b = new Backoff(Duration.ofSeconds(15), Duration.ofSeconds(120));
        assertEquals(15_000L, b.delay(-1).toMillis());
        assertEquals(120_000L, b.delay(Integer.MAX_VALUE).toMillis());
        assertEquals(15_000L << 20, new Backoff(Duration.ofSeconds(15), Duration.ofDays(365)).delay(100).toMillis(),
                "doubling stops after 20 times");
    }

    @Test
    void aJitteredWaitIsBetweenHalfTheDelayAndAllOfIt() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8));
        assertEquals(Duration.ofMillis(1_000), b.jittered(3, fixed(0)), "the lowest draw: half of 2 s");
        assertEquals(Duration.ofMillis(2_000), b.jittered(3, fixed(Long.MAX_VALUE)), "the highest draw: all of 2 s");
        Random seeded = new Random(7);
        for (int n = 0; n < 10; n++) {
            long d = b.delay(n).toMillis();
            long w = b.jittered(n, seeded).toMillis();
            assertTrue(w >= d / 2 && w <= d, "retry " + n + " waited " + w + " ms for a delay of " + d + " ms");
        }
    }

    /** Draws {@code draw}, clamped to the bound asked for. */
    static RandomGenerator fixed(long draw) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return draw;
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(draw, bound - 1);
            }
        };
    }
}
