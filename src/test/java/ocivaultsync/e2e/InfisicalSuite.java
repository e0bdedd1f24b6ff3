package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Infisical end-to-end suite, run against the in-repo test server in every build
 * ({@link InfisicalSuiteOnTestServerTest}) and against a real Infisical server under {@code -Pinfisical-live}
 * ({@link InfisicalLiveSuiteTest}; docs/REAL-SERVICES.md, "A real Infisical server"). The same tests, the same
 * expected answers: where the two servers disagreed, the real one was right and the test server changed.
 *
 * <p>Each test starts from the layout the live script seeds: {@code prod:/} (DB_HOST, DB_PASSWORD, API_URL),
 * {@code prod:/app} (APP_NAME, APP_PORT), {@code dev:/shared} (SHARED_TOKEN, SHARED_ONLY_DEV), and {@code prod:/}
 * importing {@code dev:/shared}.
 */
abstract class InfisicalSuite {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults()
            .withTransitionsBetween(50, 200));

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WEBHOOK_KEY = "suite-webhook-signing-key-0021-of-32-bytes";

    @TempDir
    Path dir;
    Harness h;
    InfisicalUnderTest infisical;

    /** The server this run of the suite asks. */
    abstract InfisicalUnderTest open(Harness h);

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
        infisical = open(h);
        infisical.folder("prod", "/app").folder("dev", "/shared")
                .put("prod", "/", "DB_HOST", "db.internal").put("prod", "/", "DB_PASSWORD", "s3cr3t-prod")
                .put("prod", "/", "API_URL", "https://api.example.com")
                .put("prod", "/app", "APP_NAME", "demo-app").put("prod", "/app", "APP_PORT", "8080")
                .put("dev", "/shared", "SHARED_TOKEN", "shared-from-dev").put("dev", "/shared", "SHARED_ONLY_DEV", "1")
                .importFolder("prod", "/", "dev", "/shared");
    }

    @AfterEach
    void tearDown() {
        if (infisical != null) {
            infisical.close();
        }
        h.close();
    }

    /** The sync {@code app} reads {@code env:path} as {@code who}, its client secret held in the vault. */
    void use(InfisicalUnderTest.Identity who, String env, String path, UnaryOperator<ConfigBuilder.Sync> more) {
        String secretId = h.seed("infisical-client-secret-" + (who.equals(infisical.viewer()) ? "viewer" : "writer"),
                who.clientSecret(), Map.of(), null);
        h.infisical(s -> more.apply(s.infisicalSource(infisical.url(), infisical.projectId(), env).secretPath(path)
                .authSecret(who.clientId(), secretId)));
    }

    @Test
    void importsAndSubFoldersAreSyncedAndChangesMadeInInfisicalFollow() {
        use(infisical.writer(), "prod", "/", s -> s.recursive(true).includeImports(true).deletionGuard(100, 0));
        assertEquals(List.of("API_URL CREATE DONE", "APP_NAME CREATE DONE", "APP_PORT CREATE DONE",
                "DB_HOST CREATE DONE", "DB_PASSWORD CREATE DONE", "SHARED_ONLY_DEV CREATE DONE",
                "SHARED_TOKEN CREATE DONE"), lines(h.sync()));
        assertEquals("demo-app", h.value("APP_NAME"), "from the sub-folder /app");
        assertEquals("shared-from-dev", h.value("SHARED_TOKEN"), "from the import of dev:/shared");

        // Changes made through Infisical's API, in the folder, a sub-folder and the imported folder.
        infisical.put("prod", "/", "DB_HOST", "db2.internal").put("prod", "/app", "APP_PORT", "9090")
                .put("dev", "/shared", "SHARED_TOKEN", "rotated-in-dev").remove("prod", "/", "API_URL");
        assertEquals(List.of("API_URL DELETE DONE", "APP_PORT UPDATE DONE", "DB_HOST UPDATE DONE",
                "SHARED_TOKEN UPDATE DONE"), lines(h.sync()));
        assertEquals("db2.internal", h.value("DB_HOST"));
        assertEquals("9090", h.value("APP_PORT"));
        assertEquals("rotated-in-dev", h.value("SHARED_TOKEN"));
        assertEquals("PENDING_DELETION", h.state("API_URL"));
        assertEquals(List.of(), h.sync().results());
    }

    /** dev:/shared imports staging:/: its secrets reach the sync of prod:/, and dev:/shared's own value wins. */
    @Test
    void aNestedImportReachesTheSyncAndTheImportedFoldersOwnSecretsWin() {
        infisical.put("staging", "/", "BASE_ONLY", "from-staging").put("staging", "/", "SHARED_TOKEN", "from-staging")
                .importFolder("dev", "/shared", "staging", "/");
        use(infisical.writer(), "prod", "/", s -> s.includeImports(true));
        assertEquals(List.of("API_URL CREATE DONE", "BASE_ONLY CREATE DONE", "DB_HOST CREATE DONE",
                "DB_PASSWORD CREATE DONE", "SHARED_ONLY_DEV CREATE DONE", "SHARED_TOKEN CREATE DONE"), lines(h.sync()));
        assertEquals("from-staging", h.value("BASE_ONLY"));
        assertEquals("shared-from-dev", h.value("SHARED_TOKEN"));
    }

    @Test
    void importPrioritizeSourceWritesWhatOnlyTheVaultHasIntoInfisical() {
        use(infisical.writer(), "prod", "/app", s -> s.initialSyncBehavior("import-prioritize-source")
                .keySchema("app-{{secretKey}}"));
        h.seed("app-APP_NAME", "vault-name", Map.of(), null);
        h.seed("app-ONLY_IN_VAULT", "  padded vault value  ", Map.of(), null);
        assertEquals(List.of("app-APP_NAME UPDATE DONE", "app-APP_PORT CREATE DONE", "app-ONLY_IN_VAULT IMPORT DONE"),
                lines(h.sync()));
        assertEquals(Map.of("APP_NAME", "demo-app", "APP_PORT", "8080", "ONLY_IN_VAULT", "padded vault value"),
                Map.copyOf(infisical.values("prod", "/app")), "Infisical trims what it stores");
        assertTrue(infisical.requests().contains("POST /api/v4/secrets/batch"), infisical.requests().toString());
        assertEquals("demo-app", h.value("app-APP_NAME"), "the source wins where both have the key");
        assertEquals(List.of("app-ONLY_IN_VAULT UPDATE DONE"), lines(h.sync()),
                "the trimmed value comes back from Infisical and wins from now on");
    }

    @Test
    void aViewerAskedToImportIsRefusedByInfisicalAndNothingIsAdopted() {
        use(infisical.viewer(), "prod", "/app", s -> s.initialSyncBehavior("import-prioritize-source")
                .keySchema("app-{{secretKey}}"));
        h.seed("app-ONLY_IN_VAULT", "vault value", Map.of(), null);
        SyncReport r = h.sync();
        assertEquals(List.of("app-APP_NAME CREATE DONE", "app-APP_PORT CREATE DONE",
                "app-ONLY_IN_VAULT IMPORT FAILED"), lines(r));
        String reason = r.results().get(2).reason();
        assertTrue(reason.contains("HTTP 403") && reason.contains("You are not allowed to create on secrets"), reason);
        assertEquals(SyncStatus.PARTIAL, r.status());
        assertEquals(Map.of("APP_NAME", "demo-app", "APP_PORT", "8080"), Map.copyOf(infisical.values("prod", "/app")));
        assertEquals(Map.of(), h.tags("app-ONLY_IN_VAULT"), "not adopted: Infisical did not take it");
    }

    @Test
    void aMissingEnvironmentOrFolderFailsNamingItAndDeletesNothing() {
        use(infisical.writer(), "prod", "/app", s -> s);
        assertEquals(List.of("APP_NAME CREATE DONE", "APP_PORT CREATE DONE"), lines(h.sync()));
        String p = infisical.projectId();
        h.f.emulator.calls().reset();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        // Current servers answer 404 for both, recursive or not (docs/ASSUMPTIONS.md, "A missing environment or folder").
        expected.put("prdo|/app|false", "(Folder with path '/app' in environment 'prdo' was not found. Please ensure "
                + "the environment slug and secret path is correct.)");
        expected.put("prdo|/app|true", "(Environment with slug 'prdo' in project with ID " + p + " not found)");
        expected.put("prod|/ap|false", "(Folder with path '/ap' in environment 'prod' was not found. Please ensure the "
                + "environment slug and secret path is correct.)");
        expected.put("prod|/ap|true", "(Folder with path '/ap' in environment 'prod' was not found. Please ensure the "
                + "environment slug and secret path is correct.)");
        expected.forEach((where, answer) -> {
            String[] w = where.split("\\|");
            use(infisical.writer(), w[0], w[1], s -> s.recursive(Boolean.parseBoolean(w[2])));
            SyncReport r = h.sync(q -> q.withForce(true));
            assertEquals(SyncStatus.FAILED, r.status());
            assertEquals("source: infisical answered HTTP 404 when listing the secrets of project " + p + " environment "
                    + w[0] + " path " + w[1] + " " + answer + "; check the project id, the environment slug and the "
                    + "secret path", r.error(), where);
            assertEquals(List.of(), r.results());
        });
        assertEquals("ACTIVE", h.state("APP_NAME"));
        assertEquals("ACTIVE", h.state("APP_PORT"));
        assertEquals(null, h.f.emulator.calls().snapshot().get("ScheduleSecretDeletion"));
    }

    @Test
    void aWrongClientSecretIsRefusedWithInfisicalsAnswerAndNeverQuoted() {
        String wrong = "wrong-client-secret-canary-0021";
        use(new InfisicalUnderTest.Identity(infisical.writer().clientId(), wrong), "prod", "/app", s -> s);
        SyncReport r = h.sync();
        assertEquals(SyncStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("source: infisical at " + infisical.url() + " refused the login of machine "
                + "identity " + infisical.writer().clientId() + " (HTTP 401"), r.error());
        assertTrue(r.error().contains("Invalid credentials"), r.error());
        assertFalse(r.toString().contains(wrong));
        assertEquals(List.of("POST /api/v1/auth/universal-auth/login"), infisical.requests(), "one try, no lockout");
    }

    @Test
    void aRevokedTokenIsReplacedByOneNewLogin() {
        use(infisical.writer(), "prod", "/app", s -> s);
        assertEquals(List.of("APP_NAME CREATE DONE", "APP_PORT CREATE DONE"), lines(h.sync()));
        infisical.revokeTokens();
        infisical.put("prod", "/app", "APP_MODE", "blue");
        infisical.clearRequests();
        assertEquals(List.of("APP_MODE CREATE DONE"), lines(h.sync()));
        assertEquals(List.of("GET /api/v4/secrets", "POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"),
                infisical.requests());
    }

    /**
     * A change in {@code dev:/shared}, which {@code prod:/} imports: Infisical sends the webhook of {@code dev:/shared}
     * and, seconds later, that of {@code prod:/} (docs/ASSUMPTIONS.md, "Webhooks of importing folders"). Both are
     * verified with the sync's key; the first concerns no sync and runs nothing, the second runs the sync.
     */
    @Test
    void aChangeToAnImportedFolderSendsItsWebhookThenTheImportersAndTheSecondRunsTheSync() throws Exception {
        use(infisical.writer(), "prod", "/", s -> s.includeImports(true).webhookSigningKey(WEBHOOK_KEY));
        h.sync();
        // The layout's own changes send webhooks too; they are all out before the hooks exist.
        Thread.sleep(infisical.webhookLag().toMillis());
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            infisical.webhook("dev", "/**", receiver.url(), WEBHOOK_KEY);
            infisical.webhook("prod", "/**", receiver.url(), WEBHOOK_KEY);
            long changed = System.currentTimeMillis();
            infisical.put("dev", "/shared", "SHARED_TOKEN", "rotated-in-dev");
            List<WebhookReceiver.Delivery> got = receiver.await(2, infisical.webhookLag().multipliedBy(3));
            assertEquals(2, got.size(), "two webhooks");
            List<String> folders = got.stream().map(d -> where(d.text())).toList();
            assertEquals(List.of("dev:/shared", "prod:/"), folders);
            System.out.printf("[infisical-webhooks] %s: dev:/shared after %d ms, prod:/ %d ms later%n",
                    getClass().getSimpleName(), got.get(0).at().toEpochMilli() - changed,
                    Duration.between(got.get(0).at(), got.get(1).at()).toMillis());
            for (WebhookReceiver.Delivery d : got) {
                JsonNode body = JSON.readTree(d.body());
                assertEquals(InfisicalWebhooks.signed(d.text(), body.get("timestamp").asLong(), WEBHOOK_KEY),
                        Map.of("x-infisical-signature", d.headers().get("x-infisical-signature")),
                        "t=<the body's timestamp>;<hex HMAC-SHA256 of the raw body>");
                assertEquals("secrets.modified", body.get("event").asText());
                assertEquals(infisical.projectId(), body.path("project").path("projectId").asText());
            }
            h.f.emulator.calls().reset();
            RunReport first = h.call("event", got.get(0).text(), got.get(0).headers());
            assertEquals(Trigger.INFISICAL_WEBHOOK, first.trigger());
            assertEquals(List.of(), first.syncs(), "dev:/shared is read by no sync");
            assertEquals(null, h.f.emulator.calls().snapshot().get("ListSecrets"));
            RunReport second = h.call("event", got.get(1).text(), got.get(1).headers());
            assertEquals(List.of("SHARED_TOKEN UPDATE DONE"), lines(second.syncs().get(0)));
            assertEquals("rotated-in-dev", h.value("SHARED_TOKEN"));
        }
    }

    private static String where(String body) {
        try {
            JsonNode p = JSON.readTree(body).path("project");
            return p.path("environment").asText() + ":" + p.path("secretPath").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
