package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.RunReport;
import ocivaultsync.run.RunRequest;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceSnapshot;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs that stand alone (README, "Metrics, alerts and logs"): every JSON line a run prints carries its
 * {@code runId}, {@code sync} and {@code trigger}, whichever thread printed it: the run's own (the source fetch's lines
 * included), the executor's pool. Lines are printed from the source and the vault port (wrapped, so each kind of
 * thread is certain to log), and the product's own lines are among them.
 */
class RunLogFieldsTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(10));
    static final Logger PROBE = Logger.getLogger("ocivaultsync.test.probe");

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
        h.wrapSource(s -> new SecretSource() {
            @Override
            public SourceSnapshot fetch() {
                PROBE.info("fetching the source");
                return s.fetch();
            }

            @Override
            public Map<String, Outcome> write(Map<String, SecretValue> values) {
                return s.write(values);
            }
        });
        h.wrapVault(v -> (VaultPort) Proxy.newProxyInstance(VaultPort.class.getClassLoader(),
                new Class<?>[] {VaultPort.class}, (proxy, m, args) -> {
                    PROBE.infof("vault %s", m.getName());
                    try {
                        return m.invoke(v, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyLineOfARunCarriesItsRunIdSyncAndTriggerOnEveryThread() {
        h.source(Map.of("A", "a-value", "B", "b-value", "C", "c-value", "D", "d-value"));
        String caller = Thread.currentThread().getName();
        Predicate<String> runThreads = t -> t.equals(caller) || t.startsWith("ovs-exec-");
        RunReport run;
        List<JsonLogLines.Line> lines;
        MDC.put("fnCallId", "call-7");
        try (JsonLogLines log = new JsonLogLines()) {
            run = h.run(RunRequest.manual(null, false));
            lines = log.from(runThreads);
        } finally {
            MDC.remove("fnCallId");
        }
        assertEquals("SUCCEEDED", run.syncs().get(0).status().name());

        Set<String> threads = new TreeSet<>();
        for (JsonLogLines.Line l : lines) {
            threads.add(l.thread().startsWith("ovs-exec-") ? "ovs-exec-*" : l.thread());
            assertEquals(run.runId(), l.mdc("runId"), l.text());
            assertEquals("manual", l.mdc("trigger"), l.text());
            assertEquals("call-7", l.mdc("fnCallId"), "the caller's own fields travel too: " + l.text());
            boolean runLine = l.json().path("message").asText().startsWith("run ");
            assertEquals(runLine ? null : "app", l.mdc("sync"), l.text());
        }
        assertEquals(new TreeSet<>(List.of(caller, "ovs-exec-*")), threads,
                "lines from every kind of thread a run uses");
        List<String> messages = lines.stream().map(l -> l.json().path("message").asText()).toList();
        assertTrue(messages.contains("fetching the source"), messages.toString());
        assertTrue(messages.contains("vault create"), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("secret A CREATE DONE")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("sync app SUCCEEDED")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("run " + run.runId())), messages.toString());
        assertFalse(lines.stream().anyMatch(l -> l.text().contains("a-value")), "no value in any line");
        assertNull(MDC.get("runId"), "the run leaves the caller's context as it found it");
        assertNull(MDC.get("sync"));
        assertNull(MDC.get("trigger"));
    }
}
