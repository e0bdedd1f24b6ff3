package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture.SecretView;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.Faults;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Randomized, seeded runs with the faults production throws: 429s, 5xx (some after the call took effect), dropped
 * connections, latency, secrets caught in transitional states, and a source that keeps changing. When the faults
 * stop and the retries finish, the vault must match the source exactly, hold no duplicate, and no foreign secret may
 * have been touched; along the way no secret the source still had was deleted and every report agreed with the vault.
 * CI runs {@value #CI_RUNS} seeds; {@code -Dovs.fault.runs=N} (the {@code faults} profile) runs more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    static final int CI_RUNS = 4;

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionsBetween(50, 500)
            .withPageSize(7));

    final AtomicLong faults = new AtomicLong();
    final AtomicLong passes = new AtomicLong();
    int runs;
    CanaryWatch watch = new CanaryWatch();
    final List<String> canaries = new ArrayList<>();

    @TestFactory
    @org.junit.jupiter.api.Order(1)
    Stream<org.junit.jupiter.api.DynamicTest> seededRunsConverge() {
        int n = Integer.getInteger("ovs.fault.runs", CI_RUNS);
        return IntStream.rangeClosed(1, n).mapToObj(seed -> dynamicTest("seed " + seed, () -> run(seed)));
    }

    private void run(long seed) throws Exception {
        runs++;
        Random rnd = new Random(seed);
        EMULATOR.fixture().emulator.reset();
        Path dir = Files.createTempDirectory("ovs-faults");
        try (Harness h = new Harness(EMULATOR.fixture(), dir)) {
            h.configure(o -> o.keySchema("f-{{secretKey}}").deletionGuard(100, 1000));
            // Secrets this sync must never touch: another sync's with fitting names, and unrelated ones.
            for (int i = 0; i < 2; i++) {
                h.seed("f-OTHER_" + i, canary(seed, "other-" + i), Map.of("ovs_sync", "other"), null);
                h.seed("plain-" + i, canary(seed, "plain-" + i), Map.of(), null);
            }
            Map<String, SecretView> foreignBefore = foreign(h);
            Map<String, String> source = new LinkedHashMap<>();
            for (int i = 0; i < 20 + rnd.nextInt(20); i++) {
                source.put("K" + i, canary(seed, "initial-" + i));
            }
            for (int pass = 0; pass < 6; pass++) {
                mutate(source, rnd, seed, pass);
                h.source(source);
                injectFaults(h, rnd);
                forceTransitions(h, rnd);
                SyncReport r = h.sync(q -> q.withForce(true).withVerbose(true));
                passes.incrementAndGet();
                watch.saw("report", r);
                assertReportAgreesWithSource(r, source);
                faults.addAndGet(EMULATOR.fixture().emulator.faults().injected());
                EMULATOR.fixture().emulator.faults().clear(); // also zeroes the injected count
                EMULATOR.fixture().emulator.clock().advance(Duration.ofMillis(rnd.nextInt(2000)));
            }
            // Calm: no faults, transitions over; the passes must converge.
            EMULATOR.fixture().emulator.clock().advance(Duration.ofSeconds(120));
            SyncReport last = null;
            for (int pass = 0; pass < 8; pass++) {
                last = h.sync(q -> q.withForce(true));
                passes.incrementAndGet();
                watch.saw("report", last);
                assertReportAgreesWithSource(last, source);
                if (last.status() == SyncStatus.SUCCEEDED && last.results().isEmpty()) {
                    break;
                }
                EMULATOR.fixture().emulator.clock().advance(Duration.ofSeconds(5));
            }
            assertEquals(SyncStatus.SUCCEEDED, last.status(), "converged: " + last);
            assertEquals(List.of(), last.results(), "a pass with nothing left to do");
            assertVaultMatches(h, source);
            assertEquals(foreignBefore, foreign(h), "no foreign secret was touched");
        }
    }

    private String canary(long seed, String what) {
        String c = "CANARY-" + seed + "-" + what;
        canaries.add(c);
        return c;
    }

    private void mutate(Map<String, String> source, Random rnd, long seed, int pass) {
        List<String> keys = new ArrayList<>(source.keySet());
        for (String k : keys) {
            int roll = rnd.nextInt(10);
            if (roll == 0) {
                source.remove(k);
            } else if (roll == 1) {
                source.put(k, canary(seed, "p" + pass + "-" + k));
            }
        }
        for (int i = 0; i < rnd.nextInt(4); i++) {
            source.put("N" + pass + "_" + i, canary(seed, "new-" + pass + "-" + i));
        }
    }

    private static final List<String> OPS = List.of("ListSecrets", "CreateSecret", "UpdateSecret",
            "ScheduleSecretDeletion", "CancelSecretDeletion", "*");

    private void injectFaults(Harness h, Random rnd) {
        Faults f = EMULATOR.fixture().emulator.faults();
        for (int i = 0; i < 2 + rnd.nextInt(4); i++) {
            String op = OPS.get(rnd.nextInt(OPS.size()));
            switch (rnd.nextInt(5)) {
                case 0 -> f.add(new Faults.Rule(op, 429, 0.5, 10, 0, false, false));
                case 1 -> f.add(new Faults.Rule(op, 500, 0.3, 6, 0, false, false));
                case 2 -> f.add(new Faults.Rule(op, 503, 0.3, 5, 0, true, false)); // applied, answer lost
                case 3 -> f.add(new Faults.Rule(op, 0, 0.2, 3, 0, true, true)); // applied, connection dropped
                default -> f.add(new Faults.Rule(op, 0, 0.3, 20, 30, false, false)); // latency
            }
        }
    }

    /** Catches a couple of this sync's secrets in the middle of someone else's change. */
    private void forceTransitions(Harness h, Random rnd) {
        List<SecretView> ours = h.f.secretViews().stream()
                .filter(s -> "app".equals(s.tag("ovs_sync")) && s.state() == SecretState.ACTIVE).toList();
        for (int i = 0; i < Math.min(2, ours.size()); i++) {
            if (rnd.nextBoolean()) {
                SecretView s = ours.get(rnd.nextInt(ours.size()));
                SecretState state = rnd.nextBoolean() ? SecretState.UPDATING : SecretState.CANCELLING_DELETION;
                h.f.force(s.id(), state, 1 + rnd.nextInt(3), SecretState.ACTIVE);
            }
        }
    }

    /** Nothing the source still has may be deleted; what was written must be what the source had. */
    private static void assertReportAgreesWithSource(SyncReport r, Map<String, String> source) {
        for (SecretResult x : r.results()) {
            if (x.status() == ResultStatus.DONE && x.action() == Action.DELETE) {
                assertTrue(!source.containsKey(x.key()), "deleted " + x.key() + " although the source has it");
            }
            if (x.status() == ResultStatus.DONE && (x.action() == Action.CREATE || x.action() == Action.UPDATE)) {
                assertTrue(source.containsKey(x.key()), "wrote " + x.key() + " although the source lacks it");
            }
        }
        assertEquals(r.counts().total() >= r.results().size(), true);
    }

    private static void assertVaultMatches(Harness h, Map<String, String> source) {
        FingerprintKey key = FingerprintKey.of(Harness.FINGERPRINT_KEY);
        Map<String, List<SecretView>> byName = new HashMap<>();
        for (SecretView s : h.f.secretViews()) {
            if (s.state() != SecretState.DELETED) {
                byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
            }
        }
        byName.forEach((name, list) -> assertEquals(1, list.size(), "no duplicate of " + name));
        Set<String> expected = new HashSet<>();
        source.forEach((k, v) -> {
            String name = "f-" + k;
            expected.add(name);
            SecretView s = byName.get(name).get(0);
            assertEquals(SecretState.ACTIVE, s.state(), name);
            assertEquals(v, h.value(name), name + " holds the source value");
            assertEquals("app", s.tag("ovs_sync"));
            assertEquals(k, s.tag("ovs_key"));
            assertEquals(SecretValue.ofUtf8(v).fingerprint(key, "app", k).tag(), s.tag("ovs_fp"));
        });
        byName.forEach((name, list) -> {
            SecretView s = list.get(0);
            if ("app".equals(s.tag("ovs_sync")) && !expected.contains(name)) {
                assertEquals(SecretState.PENDING_DELETION, s.state(), name + " left the source");
            }
        });
    }

    private static Map<String, SecretView> foreign(Harness h) {
        Map<String, SecretView> out = new LinkedHashMap<>();
        for (SecretView s : h.f.secretViews()) {
            if (s.name().startsWith("plain-") || s.name().startsWith("f-OTHER_")) {
                out.put(s.name(), s);
            }
        }
        return out;
    }

    @AfterAll
    void report() {
        System.out.printf("fault suite: %d seeded runs, %d passes, %d injected faults survived%n", runs,
                passes.get(), faults.get());
        watch.close();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void noCanaryLeakedDuringTheFaultRuns() {
        assertTrue(passes.get() > 0, "runs after the seeded runs");
        assertEquals(List.of(), watch.leaks(canaries));
    }
}
