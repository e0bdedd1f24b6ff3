package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ocivaultsync.fn.UnixHttp;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as OCI Functions runs it: a whole sync through the Fn unix socket against the standalone
 * emulator; and a container started with a bad listener exits non-zero instead of hanging the agent.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedFnIT.WithFnListener.class, restrictToAnnotatedClass = true)
class PackagedFnIT {

    static final Path DIR = dir();
    static final Path LINK = DIR.resolve("lsnr.sock");

    static Path dir() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "fnit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The standalone emulator, plus FN_LISTENER and FN_FORMAT (as system properties of the packaged jar). */
    public static class WithFnListener extends StandaloneEmulatorResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> props = new HashMap<>(super.start());
            props.put("fn.listener", "unix:" + LINK);
            props.put("fn.format", "http-stream");
            return props;
        }
    }

    @Test
    void aWholeSyncThroughTheFnSocket() throws Exception {
        for (int i = 0; i < 100 && !Files.exists(LINK); i++) {
            Thread.sleep(50);
        }
        try (UnixHttp fn = new UnixHttp(LINK)) {
            Map<String, String> h = Map.of("Fn-Call-Id", "it-1", "Fn-Deadline",
                    Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS).toString());
            UnixHttp.Response r = fn.post("/call", h, "{\"trigger\":\"schedule\"}", false);
            assertEquals(200, r.status(), r.body());
            JsonNode sync = new ObjectMapper().readTree(r.body()).path("syncs").get(0);
            assertEquals("SUCCEEDED", sync.path("status").asText());
            assertEquals(2, sync.path("counts").path("create").asInt());
            UnixHttp.Response steady = fn.post("/call", h, "{\"trigger\":\"schedule\"}", false);
            assertEquals(2, new ObjectMapper().readTree(steady.body()).path("syncs").get(0).path("counts")
                    .path("none").asInt());
        }
    }

    @Test
    void aBadListenerUnderFnExitsNonZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dquarkus.http.port=0", "-jar",
                "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("FN_FORMAT", "http-stream");
        pb.environment().put("FN_LISTENER", "tcp:127.0.0.1:9999");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ended by itself");
        assertEquals(1, p.exitValue());
    }
}
