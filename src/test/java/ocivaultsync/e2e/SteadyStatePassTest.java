package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first figure of BENCHMARKS.md, checked end to end: a steady fast pass over 1,000 managed and 1,000 unmanaged
 * secrets
 * makes list calls only. The figures are printed; the assertion is on call counts, never on time.
 */
class SteadyStatePassTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(
            EmulatorOptions.defaults().withPageSize(EmulatorOptions.DEFAULT_PAGE_SIZE));

    @Test
    void aSteadyFastPassOverTwoThousandSecretsOnlyLists(@TempDir Path dir) {
        try (Harness h = new Harness(EMULATOR.fixture(), dir)) {
            for (int i = 0; i < 1000; i++) {
                h.seed(String.format("unmanaged-%04d", i), "u" + i, Map.of(), null);
            }
            Map<String, String> source = new LinkedHashMap<>();
            for (int i = 0; i < 1000; i++) {
                source.put(String.format("MANAGED_%04d", i), "value-" + i);
            }
            h.configure(o -> o.keySchema("app-{{secretKey}}"));
            SyncReport initial = h.source(source).sync();
            assertEquals(1000, initial.counts().create());

            h.f.emulator.calls().reset();
            long started = System.nanoTime();
            SyncReport steady = h.pass();
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals(1000, steady.counts().none());
            assertEquals(new OciCalls(41, 0, 0), steady.ociCalls(),
                    "2,001 secrets (the sync's state secret too) in pages of 50");
            assertEquals(Map.of("ListSecrets", 41L), h.f.emulator.calls().snapshot(), "the emulator agrees");
            System.out.printf("steady fast pass, 1,000 managed + 1,000 unmanaged: %s, emulator %s, %d ms%n",
                    steady.ociCalls(), h.f.emulator.calls().snapshot(), ms);
        }
    }
}
