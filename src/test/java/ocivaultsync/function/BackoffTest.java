package ocivaultsync.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.waiter.WaiterConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import ocivaultsync.apply.Executor;
import ocivaultsync.oci.OciClients;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.requeue.RetryPolicy;
import ocivaultsync.settings.OvsSettings;
import org.junit.jupiter.api.Test;

/**
 * Each back-off of the product as production builds it: the settings (defaults, or values given) through the
 * producers' own wiring ({@link Producers}), so a changed default or a wiring mistake fails here. The figures
 * expected are the defaults the settings table of docs/CONFIGURATION.md ("Service settings") documents, read from that
 * file itself.
 */
class BackoffTest {

    static final DurationConverter DURATIONS = new DurationConverter();

    /** Where the settings table lives. */
    static final Path DOC = Path.of("docs/CONFIGURATION.md");

    /** The settings as the container maps them at start-up, over these properties and the defaults. */
    static OvsSettings settings(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(OvsSettings.class)
                .withConverter(Duration.class, 200, DURATIONS)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(OvsSettings.class);
    }

    /**
     * The default the settings table of docs/CONFIGURATION.md states for a setting. A row names one setting or several
     * ({@code `ovs.requeue.first-delay`, `.max-delay`}) and gives their defaults in the same order.
     */
    static String documented(String setting) throws IOException {
        Map<String, String> defaults = new HashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            String[] cells = line.split("\\|", -1);
            if (cells.length < 4 || !cells[1].trim().startsWith("`ovs.")) {
                continue;
            }
            String[] names = cells[1].trim().split(",\\s*");
            String[] values = cells[2].trim().split(",\\s*");
            String first = names[0].replace("`", "");
            String group = first.substring(0, first.lastIndexOf('.'));
            for (int i = 0; i < names.length && names.length == values.length; i++) {
                String name = names[i].replace("`", "");
                defaults.put(name.startsWith(".") ? group + name : name, values[i].replace("`", ""));
            }
        }
        String value = defaults.get(setting);
        if (value == null) {
            throw new IllegalStateException(DOC + "'s settings table states no default for " + setting
                    + " (a row | `" + setting + "` | `<default>` | … |)");
        }
        return value;
    }

    static Duration documentedDuration(String setting) throws IOException {
        return DURATIONS.convert(documented(setting));
    }

    static int documentedInt(String setting) throws IOException {
        return Integer.parseInt(documented(setting));
    }

    /** {@code first}, doubling, at most {@code cap}: docs/ARCHITECTURE.md's "15 s → 30 s → 60 s → 120 s". */
    static List<Duration> doubling(Duration first, Duration cap, int count) {
        return IntStream.range(0, count).mapToObj(n -> first.multipliedBy(1L << n))
                .map(d -> d.compareTo(cap) > 0 ? cap : d).toList();
    }

    @Test
    void retriesOfDeferredWorkWaitTheDocumentedDelaysForTheDocumentedNumberOfAttempts() throws IOException {
        RetryPolicy produced = Producers.retryPolicy(settings(Map.of()));
        int attempts = documentedInt("ovs.requeue.max-attempts");
        assertEquals(attempts, produced.maxAttempts());
        assertEquals(doubling(documentedDuration("ovs.requeue.first-delay"), documentedDuration("ovs.requeue.max-delay"),
                attempts), IntStream.rangeClosed(1, attempts).mapToObj(produced::delay).toList());
        assertEquals(produced, RetryPolicy.DEFAULT, "the runner's policy until it is wired, and the tests' harness");
        assertEquals(produced.delay(attempts), produced.delay(Integer.MAX_VALUE), "a huge attempt waits the cap");
    }

    @Test
    void theRetryPolicyFollowsItsThreeSettings() {
        RetryPolicy produced = Producers.retryPolicy(settings(Map.of("ovs.requeue.first-delay", "2s",
                "ovs.requeue.max-delay", "5s", "ovs.requeue.max-attempts", "3")));
        assertEquals(3, produced.maxAttempts());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5)),
                IntStream.rangeClosed(1, 3).mapToObj(produced::delay).toList());
    }

    @Test
    void throttledVaultCallsRunAtTheDocumentedParallelismAndBackOffJitteredUpToTheCap() throws IOException {
        Executor.Settings produced = Producers.executorSettings(settings(Map.of()));
        assertEquals(documentedInt("ovs.sync.parallelism"), produced.parallelism());
        assertEquals(3, Producers.executorSettings(settings(Map.of("ovs.sync.parallelism", "3"))).parallelism());
        Executor.Settings own = Executor.Settings.defaults();
        assertEquals(new Executor.Settings(produced.parallelism(), own.maxThrottleRetries(), own.initialBackoff(),
                own.maxBackoff()), produced, "the back-off on OCI's 429s is the executor's own, as its tests use it");
        // The state secret's compare-and-set waits by the same settings (run.SyncPass hands it these).
        Backoff b = produced.backoff();
        int retries = produced.maxThrottleRetries();
        assertEquals(doubling(produced.initialBackoff(), produced.maxBackoff(), retries),
                IntStream.range(0, retries).mapToObj(b::delay).toList());
        assertTrue(produced.initialBackoff().compareTo(produced.maxBackoff()) < 0, "the waits grow");
        assertEquals(produced.maxBackoff(), b.delay(Integer.MAX_VALUE), "a huge retry count waits the cap");
        assertEquals(produced.initialBackoff(), b.delay(-1), "a negative retry count is the first retry");
        Duration d = b.delay(2);
        assertEquals(d.dividedBy(2), b.jittered(2, fixed(0)), "the lowest draw: half the delay");
        assertEquals(d, b.jittered(2, fixed(Long.MAX_VALUE)), "the highest draw: all of it");
        for (int n = 0; n < 2 * retries; n++) {
            long full = b.delay(n).toMillis();
            long waited = b.jittered(n).toMillis();
            assertTrue(waited >= full / 2 && waited <= full, "retry " + n + " waited " + waited + " ms of " + full);
        }
    }

    @Test
    void sdkCallsAreTriedTheDocumentedNumberOfTimesWithJitteredPausesThatDoubleFromTheFirst() throws IOException {
        int attempts = documentedInt("ovs.oci.max-attempts");
        Duration cap = documentedDuration("ovs.oci.max-retry-delay");
        try (OciClients clients = new Producers().ociClients(settings(Map.of()), Optional.empty())) {
            RetryConfiguration retries = clients.configuration().getRetryConfiguration();
            for (int run = 0; run < 50; run++) {
                List<Long> pauses = pausesOfACallThatAlwaysFails(retries);
                assertEquals(attempts - 1, pauses.size(), "one pause between two attempts");
                assertJitteredDoubling(pauses, cap);
            }
        }
    }

    @Test
    void sdkRetriesFollowTheirTwoSettings() {
        Duration cap = Duration.ofSeconds(1);
        try (OciClients clients = new Producers().ociClients(settings(Map.of("ovs.oci.max-attempts", "10",
                "ovs.oci.max-retry-delay", "1s")), Optional.empty())) {
            RetryConfiguration retries = clients.configuration().getRetryConfiguration();
            for (int run = 0; run < 20; run++) {
                List<Long> pauses = pausesOfACallThatAlwaysFails(retries);
                assertEquals(9, pauses.size());
                assertJitteredDoubling(pauses, cap);
                assertTrue(pauses.get(8) >= cap.toMillis() / 2, "the last pauses wait at least half the cap: "
                        + pauses);
            }
        }
    }

    /** Pause {@code n} (0 for the first) lies between half of and all of {@code min(first × 2^n, cap)}. */
    static void assertJitteredDoubling(List<Long> pauses, Duration cap) {
        for (int n = 0; n < pauses.size(); n++) {
            long full = Math.min(OciClients.FIRST_RETRY_DELAY.toMillis() << n, cap.toMillis());
            long p = pauses.get(n);
            assertTrue(p >= full / 2 && p <= full, "pause " + n + " was " + p + " ms, not within " + full / 2 + "–"
                    + full + " ms: " + pauses);
        }
    }

    /**
     * The pauses the SDK takes for a call that fails every time, asked for in the SDK's own order
     * (com.oracle.bmc.waiter.GenericWaiter#execute, SDK 3.55.1: count the failed attempt, ask the termination
     * strategy, then the delay strategy).
     */
    static List<Long> pausesOfACallThatAlwaysFails(RetryConfiguration retries) {
        WaiterConfiguration.WaitContext ctx = new WaiterConfiguration.WaitContext(0);
        List<Long> pauses = new ArrayList<>();
        while (pauses.size() < 100) {
            ctx.incrementAttempts();
            if (retries.getTerminationStrategy().shouldTerminate(ctx)) {
                return pauses;
            }
            pauses.add(retries.getDelayStrategy().nextDelay(ctx));
        }
        throw new AssertionError("the SDK would retry forever: " + pauses);
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
