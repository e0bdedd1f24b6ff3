package ocivaultsync.apply;

import static ocivaultsync.reconcile.Fixtures.entry;
import static ocivaultsync.reconcile.Fixtures.owned;
import static ocivaultsync.reconcile.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Fixtures;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.Plan;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SourceEntry;
import org.junit.jupiter.api.Test;

/** The executor's own logic, against an in-memory vault port (the OCI path is covered end to end elsewhere). */
public class ExecutorTest {

    /** A port that records calls and answers with scripted failures. */
    public static final class ScriptedVault implements VaultPort {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, List<VaultException>> failures = new HashMap<>();

        private void enter(String call) {
            calls.add(call);
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            synchronized (failures) {
                List<VaultException> queue = failures.get(call);
                if (queue != null && !queue.isEmpty()) {
                    throw queue.remove(0);
                }
            }
        }

        @Override
        public List<DestinationSecret> list(Destination t) {
            return List.of();
        }

        @Override
        public List<DestinationSecret> findByName(Destination t, String name) {
            return List.of();
        }

        @Override
        public String create(Destination t, String name, SecretValue v, Map<String, String> tags) {
            enter("create " + name);
            return "id-" + name;
        }

        /** What GetSecret answers: ACTIVE, owned by the fixtures' sync, etag "e1", version 1. */
        @Override
        public Versioned get(String id) {
            enter("get " + id);
            return new Versioned(new DestinationSecret(id, id, LifecycleState.ACTIVE, Map.of("ovs_sync", Fixtures.SYNC), null),
                    "e1", 1);
        }

        @Override
        public long update(String id, SecretValue v, Map<String, String> tags, String ifMatch) {
            enter("update " + id + (v == null ? " tags" : " content"));
            return 0;
        }

        @Override
        public void scheduleDeletion(String id, Instant when) {
            enter("delete " + id);
        }

        @Override
        public void cancelDeletion(String id) {
            enter("cancel " + id);
        }

        @Override
        public SecretValue readCurrent(String id) {
            enter("read " + id);
            return SecretValue.ofUtf8("v");
        }
    }

    static final Destination TARGET = new Destination("eu-frankfurt-1", "c", "v", "k");
    final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());

    Executor executor(ScriptedVault v, int parallelism) {
        return new Executor(v, new Executor.Settings(parallelism, 3, Duration.ofMillis(100), Duration.ofSeconds(1)),
                Clock.systemUTC(), slept::add);
    }

    public static Executor.Context ctx(Map<String, SecretValue> values, Instant deadline) {
        return new Executor.Context("app", TARGET, values, Map.of(), null, deadline, 7, 10);
    }

    static Plan createPlan(int n) {
        List<SourceEntry> src = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            src.add(entry("K" + i, "v"));
        }
        return Planner.plan(Fixtures.input(Fixtures.Policy.defaults(), src, List.of()), Map.of());
    }

    static Map<String, SecretValue> values(int n) {
        Map<String, SecretValue> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("K" + i, SecretValue.ofUtf8("v"));
        }
        return m;
    }

    @Test
    void parallelismIsBounded() {
        ScriptedVault v = new ScriptedVault();
        List<PlannedChange> out = executor(v, 3).apply(createPlan(30), ctx(values(30), Instant.now().plusSeconds(60)));
        assertEquals(30, out.stream().filter(c -> c.status() == ResultStatus.DONE).count());
        assertTrue(v.maxInFlight.get() <= 3, "at most 3 in flight, saw " + v.maxInFlight.get());
    }

    @Test
    void throttledCallsBackOffAndSucceed() {
        ScriptedVault v = new ScriptedVault();
        VaultException throttled = new VaultException(VaultException.Kind.THROTTLED, 429, "TooManyRequests", "slow",
                "r1");
        v.failures.put("create K0", new ArrayList<>(List.of(throttled, throttled)));
        List<PlannedChange> out = executor(v, 4).apply(createPlan(5), ctx(values(5), Instant.now().plusSeconds(60)));
        assertEquals(5, out.stream().filter(c -> c.status() == ResultStatus.DONE).count());
        assertEquals(3, v.calls.stream().filter("create K0"::equals).count());
        assertEquals(2, slept.size(), "one back-off per throttled answer");
        assertTrue(slept.get(1).compareTo(Duration.ofMillis(50)) >= 0);
    }

    @Test
    void persistentThrottlingFailsThatSecretOnlyWithOcisCode() {
        ScriptedVault v = new ScriptedVault();
        List<VaultException> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(new VaultException(VaultException.Kind.THROTTLED, 429, "TooManyRequests", "slow down", "req-9"));
        }
        v.failures.put("create K1", many);
        List<PlannedChange> out = executor(v, 2).apply(createPlan(3), ctx(values(3), Instant.now().plusSeconds(60)));
        PlannedChange k1 = out.stream().filter(c -> c.name().equals("K1")).findFirst().orElseThrow();
        assertEquals(ResultStatus.FAILED, k1.status());
        assertEquals("OCI Vault refused the change: OCI TooManyRequests (HTTP 429, opc-request-id req-9): slow down",
                k1.reasonText());
        assertEquals(2, out.stream().filter(c -> c.status() == ResultStatus.DONE).count());
    }

    @Test
    void aStateChangeDefersAndAnErrorMessageNeverCarriesTheValue() {
        ScriptedVault v = new ScriptedVault();
        v.failures.put("update a content", new ArrayList<>(List.of(new VaultException(
                VaultException.Kind.INCORRECT_STATE, 409, "IncorrectState", "busy", null))));
        v.failures.put("update b content", new ArrayList<>(List.of(new VaultException(VaultException.Kind.INVALID,
                400, "InvalidParameter", "bad content 'hunter2-secret' (aHVudGVyMi1zZWNyZXQ=)", null))));
        Plan plan = Planner.plan(Fixtures.input(Fixtures.Policy.defaults(),
                List.of(entry("A", "x1"), entry("B", "hunter2-secret")), List.of(
                        secret("a", "A", LifecycleState.ACTIVE, owned("A", "old")),
                        secret("b", "B", LifecycleState.ACTIVE, owned("B", "old")))), Map.of());
        List<PlannedChange> out = executor(v, 2).apply(plan, ctx(Map.of("A", SecretValue.ofUtf8("x1"), "B",
                SecretValue.ofUtf8("hunter2-secret")), Instant.now().plusSeconds(60)));
        assertEquals("UPDATE DEFERRED the secret changed state since it was listed; retried on a later pass: OCI "
                + "IncorrectState (HTTP 409): busy", out.get(0).action() + " " + out.get(0).status() + " "
                + out.get(0).reasonText());
        assertEquals("OCI Vault refused the change: OCI InvalidParameter (HTTP 400): bad content '***' (***)",
                out.get(1).reasonText());
    }

    @Test
    void aNameTakenDuringThePassNeverCarriesTheValue() {
        ScriptedVault v = new ScriptedVault();
        v.failures.put("create K", new ArrayList<>(List.of(new VaultException(VaultException.Kind.NAME_EXISTS, 409,
                "Conflict", "name taken while writing 'hunter2-secret'", null))));
        Plan plan = Planner.plan(Fixtures.input(Fixtures.Policy.defaults(), List.of(entry("K", "hunter2-secret")),
                List.of()), Map.of());
        List<PlannedChange> out = executor(v, 1).apply(plan, ctx(Map.of("K", SecretValue.ofUtf8("hunter2-secret")),
                Instant.now().plusSeconds(60)));
        assertEquals(Reason.NAME_TAKEN, out.get(0).reason());
        assertEquals("another writer took the name during the pass: OCI Conflict (HTTP 409): name taken while "
                + "writing '***'", out.get(0).reasonText());
    }

    @Test
    void nothingStartsAfterTheDeadline() {
        ScriptedVault v = new ScriptedVault();
        Instant past = Instant.now().minusSeconds(1);
        List<PlannedChange> out = new Executor(v, Executor.Settings.defaults(), Clock.fixed(Instant.now(),
                ZoneOffset.UTC), slept::add).apply(createPlan(3), ctx(values(3), past));
        assertEquals(List.of(ResultStatus.DEFERRED, ResultStatus.DEFERRED, ResultStatus.DEFERRED),
                out.stream().map(PlannedChange::status).toList());
        assertEquals("the invocation's time budget ran out before this change; retried on a later pass",
                out.get(0).reasonText());
        assertEquals(List.of(), v.calls);
    }

    @Test
    void theLimitHalvesOnThrottlingAndGrowsBack() throws Exception {
        AdaptiveLimit l = new AdaptiveLimit(8);
        Instant later = Instant.now().plusSeconds(60);
        l.acquire(Clock.systemUTC(), later);
        l.release(true);
        assertEquals(4, l.limit());
        l.acquire(Clock.systemUTC(), later);
        l.release(true);
        assertEquals(2, l.limit());
        for (int i = 0; i < 8; i++) {
            l.acquire(Clock.systemUTC(), later);
            l.release(false);
        }
        assertEquals(3, l.limit());
    }
}
