package ocivaultsync.source.infisical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.ImportSink;
import ocivaultsync.reconcile.ResultStatus;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Infisical client on its own, against the test server. */
class InfisicalSourceTest {

    static final ocivaultsync.config.InfisicalHosts HOSTS = ocivaultsync.config.ConfigBuilder.TEST_HOSTS;

    InfisicalTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new InfisicalTestServer().identity("id", "secret");
        server.put("p", "prod", "/", "SEED", "s");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    SecretSource open(String path) {
        var cfg = new InfisicalSourceConfig(URI.create(server.url()), "p", "prod", path, false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        return new InfisicalSources(Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC(), HOSTS)
                .open(cfg, () -> "secret", Instant.now().plusSeconds(30));
    }

    @Test
    void writeBackBatchesAndIsolatesABadKey() {
        SecretSource src = open("/");
        src.fetch();
        Map<String, SecretValue> values = new LinkedHashMap<>();
        for (int i = 0; i < 150; i++) {
            values.put("K" + i, SecretValue.ofUtf8("v" + i));
        }
        values.put("bad key", SecretValue.ofUtf8("hunter2-canary"));
        values.put("SEED", SecretValue.ofUtf8("overwritten"));
        Map<String, ImportSink.Outcome> out = src.write(values);
        assertEquals(152, out.size());
        assertEquals(151, out.values().stream().filter(o -> o.status() == ResultStatus.DONE).count());
        ImportSink.Outcome bad = out.get("bad key");
        assertEquals(ResultStatus.FAILED, bad.status());
        assertEquals("infisical answered HTTP 400 when importing into project p environment prod path / (Secret key is "
                + "invalid)", bad.detail());
        assertEquals("overwritten", server.values("p", "prod", "/").get("SEED"));
        assertEquals("v149", server.values("p", "prod", "/").get("K149"));
        List<String> batches = server.requests().stream().filter(r -> r.endsWith("/batch")).toList();
        assertTrue(batches.contains("PATCH /api/v4/secrets/batch"), "SEED is upserted");
        assertTrue(batches.size() >= 3, "150 new keys take two batches of at most 100: " + batches);
    }

    @Test
    void aMissingImportFailsTheWholeRead() {
        server.put("p", "prod", "/app", "A", "a");
        var cfg = new InfisicalSourceConfig(URI.create(server.url()), "p", "prod", "/app", false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        SecretSource ok = new InfisicalSources(Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC(), HOSTS)
                .open(cfg, () -> "secret", Instant.now().plusSeconds(30));
        assertEquals(1, ok.fetch().secrets().size());
        var wrongUrl = new InfisicalSourceConfig(URI.create("http://127.0.0.1:1"), "p", "prod", "/app", false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        SourceException down = assertThrows(SourceException.class, () -> new InfisicalSources(Duration.ofSeconds(2),
                Duration.ofSeconds(5), Clock.systemUTC(), HOSTS).open(wrongUrl, () -> "secret",
                        Instant.now().plusSeconds(30)).fetch());
        assertEquals("infisical at http://127.0.0.1:1 cannot be reached while logging in (ConnectException)",
                down.getMessage());
    }
}
