package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.infisical.InfisicalTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Infisical test server → product → real OCI SDK → emulator. The machine identity's client secret is itself read from
 * the emulated vault, as it is in production.
 */
class InfisicalEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults()
            .withTransitionsBetween(50, 500));

    static final String PROJECT = "6f1c2d3e-0000-4000-8000-000000000001";
    static final String CLIENT_ID = "machine-identity-1";
    static final String CLIENT_SECRET = "client-secret-canary-0001";

    @TempDir
    Path dir;
    Harness h;
    InfisicalTestServer infisical;
    String clientSecretId;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(EMULATOR.fixture(), dir);
        infisical = new InfisicalTestServer(h.clock).identity(CLIENT_ID, CLIENT_SECRET);
        clientSecretId = h.seed("infisical-client-secret", CLIENT_SECRET, Map.of(), null);
        use("prod", "/app");
    }

    @AfterEach
    void tearDown() {
        infisical.close();
        h.close();
    }

    void use(String env, String path) {
        use(env, path, s -> s);
    }

    void use(String env, String path, UnaryOperator<ConfigBuilder.Sync> more) {
        h.infisical(s -> more.apply(s.infisicalSource(infisical.url(), PROJECT, env).secretPath(path)
                .authSecret(CLIENT_ID, clientSecretId)));
    }

    Map<String, String> source() {
        return infisical.values(PROJECT, "prod", "/app");
    }

    @Test
    void aFirstSyncThenUpdatesAndDeletionsOnLaterPasses() {
        infisical.put(PROJECT, "prod", "/app", "DB_PASS", "p1").put(PROJECT, "prod", "/app", "API_KEY", "k1")
                .put(PROJECT, "prod", "/app", "OLD", "o").put(PROJECT, "prod", "/app", "KEEP", "keep");
        h.configure(o -> o.keySchema("{{environment}}-{{secretKey}}"));
        SyncReport first = h.sync();
        assertEquals(List.of("prod-API_KEY CREATE DONE", "prod-DB_PASS CREATE DONE", "prod-KEEP CREATE DONE",
                "prod-OLD CREATE DONE"), lines(first));
        assertEquals("p1", h.value("prod-DB_PASS"));

        infisical.put(PROJECT, "prod", "/app", "DB_PASS", "p2");
        removeKey("OLD");
        SyncReport later = h.sync();
        assertEquals(List.of("prod-DB_PASS UPDATE DONE", "prod-OLD DELETE DONE"), lines(later));
        assertEquals("p2", h.value("prod-DB_PASS"));
        assertEquals("PENDING_DELETION", h.state("prod-OLD"));
        assertEquals(List.of(), h.sync().results());
    }

    @Test
    void theSourceVersionFlowsIntoTheReportNeverTheValue() {
        infisical.put(PROJECT, "prod", "/app", "A", "v1").put(PROJECT, "prod", "/app", "A", "v2");
        SyncReport r = h.sync(q -> q.withVerbose(true));
        assertEquals(List.of("A CREATE DONE"), lines(r));
        assertEquals("2", r.results().get(0).sourceVersion());
        assertTrue(!r.toString().contains("v2"));
    }

    @Test
    void importPrioritizeSourceWritesWhatTheSourceLacksIntoInfisical() {
        h.configure(o -> o.initialSyncBehavior("import-prioritize-source").keySchema("app-{{secretKey}}"));
        infisical.put(PROJECT, "prod", "/app", "BOTH", "infisical-value");
        h.seed("app-BOTH", "vault-value", Map.of(), null);
        h.seed("app-ONLY_IN_VAULT", "  padded vault value  ", Map.of(), null);
        SyncReport r = h.sync();
        assertEquals(List.of("app-BOTH UPDATE DONE", "app-ONLY_IN_VAULT IMPORT DONE"), lines(r));
        assertEquals(Map.of("BOTH", "infisical-value", "ONLY_IN_VAULT", "padded vault value"), source(),
                "Infisical trims what it stores");
        assertEquals("infisical-value", h.value("app-BOTH"));
        assertTrue(infisical.requests().contains("POST /api/v4/secrets/batch"));
        SyncReport next = h.sync();
        assertEquals(List.of("app-ONLY_IN_VAULT UPDATE DONE"), lines(next),
                "the trimmed value comes back from Infisical and wins from now on");
        assertEquals("padded vault value", h.value("app-ONLY_IN_VAULT"));
    }

    @Test
    void importPrioritizeDestinationUpsertsDifferingValuesIntoInfisical() {
        h.configure(o -> o.initialSyncBehavior("import-prioritize-destination"));
        infisical.put(PROJECT, "prod", "/app", "BOTH", "infisical-value").put(PROJECT, "prod", "/app", "SAME", "s");
        h.seed("BOTH", "vault-value", Map.of(), null);
        h.seed("SAME", "s", Map.of(), null);
        h.seed("NEW", "n", Map.of(), null);
        SyncReport r = h.sync();
        assertEquals(List.of("BOTH IMPORT DONE", "NEW IMPORT DONE", "SAME UPDATE DONE"), lines(r));
        assertEquals(Map.of("BOTH", "vault-value", "SAME", "s", "NEW", "n"), source());
        assertTrue(infisical.requests().contains("PATCH /api/v4/secrets/batch"));
        assertEquals(List.of(), h.sync().results());
    }

    @Test
    void overwriteDestinationOnTheFirstSync() {
        h.configure(o -> o.keySchema("app-{{secretKey}}").deletionGuard(100, 0));
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        h.seed("app-A", "old", Map.of(), null);
        h.seed("app-STALE", "x", Map.of(), null);
        assertEquals(List.of("app-A UPDATE DONE", "app-STALE DELETE BLOCKED"), lines(h.sync()));
        assertEquals(List.of("app-STALE DELETE DONE"), lines(h.sync(q -> q.withForce(true))),
                "an untagged secret goes only when a person forces it");
        assertEquals(Map.of("A", "a"), source(), "overwrite never writes into Infisical");
    }

    @Test
    void anApprovalPolicyBlocksTheImportAndNothingElse() {
        infisical.requireApproval("prod");
        h.configure(o -> o.initialSyncBehavior("import-prioritize-source"));
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        h.seed("ONLY_IN_VAULT", "v", Map.of(), null);
        SyncReport r = h.sync();
        assertEquals(List.of("A CREATE DONE", "ONLY_IN_VAULT IMPORT BLOCKED"), lines(r));
        assertEquals("the source did not take the value: a change-approval policy holds the import for review "
                + "(approval appr-1)", r.results().get(1).reason());
        assertEquals(SyncStatus.PARTIAL, r.status());
        assertEquals(Map.of(), h.tags("ONLY_IN_VAULT"), "not adopted while the import waits");
    }

    @Test
    void importsAndRecursiveCollisions() {
        infisical.put(PROJECT, "prod", "/app", "OWN", "own").put(PROJECT, "prod", "/app", "SHADOWED", "own-wins")
                .put(PROJECT, "prod", "/shared", "SHADOWED", "import").put(PROJECT, "prod", "/shared", "ONE", "first")
                .put(PROJECT, "prod", "/later", "ONE", "later-wins")
                .importFolder(PROJECT, "prod", "/app", "prod", "/shared")
                .importFolder(PROJECT, "prod", "/app", "prod", "/later");
        h.sync();
        assertEquals("own-wins", h.value("SHADOWED"));
        assertEquals("later-wins", h.value("ONE"));
        assertEquals("own", h.value("OWN"));

        infisical.put(PROJECT, "prod", "/app/a", "DUP", "x").put(PROJECT, "prod", "/app/b", "DUP", "y")
                .put(PROJECT, "prod", "/app/b", "FINE", "f");
        use("prod", "/app", s -> s.recursive(true).includeImports(false));
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(List.of("DUP CREATE FAILED", "DUP CREATE FAILED", "FINE CREATE DONE", "ONE DELETE DONE"), lines(r),
                "SHADOWED keeps the folder's own value; ONE came only from an import");
        assertEquals("several source secrets map to this name: DUP from /app/a, DUP from /app/b",
                r.results().get(0).reason());
    }

    @Test
    void unreadableValuesFailTheRunBeforeAnyWrite() {
        infisical.put(PROJECT, "prod", "/app", "A", "a").denyValues(PROJECT, "prod", "/app");
        h.f.emulator.calls().reset();
        SyncReport r = h.pass();
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical answered HTTP 403 when listing the secrets of project " + PROJECT
                + " environment prod path /app (You are not allowed to read secret values in environment prod path "
                + "/app); the machine identity lacks permission on this environment and path", r.error());
        assertEquals(List.of("infisical-client-secret"), List.copyOf(h.valueSecrets().keySet()), "nothing written");
        assertEquals("FAILED", h.tags("ovs-state-app").get("ovs_status"), "but the failure, on the state secret");
        // The client secret read, the listing, then the source; the one write is the sync's status.
        assertEquals(Map.of("GetSecretBundle", 1L, "ListSecrets", 1L, "CreateSecret", 1L),
                h.f.emulator.calls().snapshot(), "the client secret read, the listing, and the state secret created "
                        + "to hold the status");
    }

    @Test
    void aTypoInTheEnvironmentWithForceDeletesNothingAndFailsNamingIt() {
        infisical.put(PROJECT, "prod", "/app", "A", "a").put(PROJECT, "prod", "/app", "B", "b");
        assertEquals(List.of("A CREATE DONE", "B CREATE DONE"), lines(h.sync()));
        use("prdo", "/app");
        h.f.emulator.calls().reset();
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical project " + PROJECT + " has no environment prdo (asked for path /app): its "
                + "empty answer is not trusted, nothing is synced and nothing is deleted; check the environment slug "
                + "(Environment with slug 'prdo' not found)", r.error());
        assertEquals(List.of(), r.results());
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("ACTIVE", h.state("B"));
        assertEquals(null, h.f.emulator.calls().snapshot().get("ScheduleSecretDeletion"));
    }

    /** A server whose folders API answers 400 for an unknown environment (docs/ASSUMPTIONS.md, "Folders API"). */
    @Test
    void aTypoInTheEnvironmentFailsAsSafelyWhenTheFoldersApiAnswers400() {
        infisical.put(PROJECT, "prod", "/app", "A", "a").unknownEnvironmentInFoldersAnswers400();
        assertEquals(List.of("A CREATE DONE"), lines(h.sync()));
        use("prdo", "/app");
        h.f.emulator.calls().reset();
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical answered HTTP 400 when confirming the folder of project " + PROJECT
                + " environment prdo path /app (Environment with slug 'prdo' not found)", r.error());
        assertEquals(List.of(), r.results());
        assertEquals("ACTIVE", h.state("A"));
        assertEquals(null, h.f.emulator.calls().snapshot().get("ScheduleSecretDeletion"));
    }

    @Test
    void aTypoInThePathWithForceDeletesNothingButAnEmptyFolderIsTrusted() {
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        assertEquals(List.of("A CREATE DONE"), lines(h.sync()));
        use("prod", "/ap");
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals("source: infisical project " + PROJECT + " environment prod has no folder /ap: its empty answer "
                + "is not trusted, nothing is synced and nothing is deleted; check the secret path", r.error());
        assertEquals("ACTIVE", h.state("A"));
        infisical.remove(PROJECT, "prod", "/app", "A");
        use("prod", "/app");
        assertEquals(List.of("A DELETE DONE"), lines(h.sync(q -> q.withForce(true))),
                "the folder exists and is empty: that answer is the truth");
    }

    @Test
    void secretsInfisicalLeavesOutFailTheRunNamingTheFolder() {
        infisical.put(PROJECT, "prod", "/app", "OWN", "own").put(PROJECT, "prod", "/shared", "SHARED", "s")
                .put(PROJECT, "prod", "/locked", "LOCKED", "l")
                .importFolder(PROJECT, "prod", "/app", "prod", "/shared")
                .importFolder(PROJECT, "prod", "/app", "prod", "/locked");
        assertEquals(List.of("LOCKED CREATE DONE", "OWN CREATE DONE", "SHARED CREATE DONE"), lines(h.sync()));
        infisical.denyValues(PROJECT, "prod", "/locked");
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical left out secrets the machine identity may not read, or changed "
                + "during the read, in prod:/locked (listed "
                + "for project " + PROJECT + " environment prod path /app); nothing is synced and nothing is deleted "
                + "from a partial answer: give the machine identity read access to secret values there", r.error());
        assertEquals("ACTIVE", h.state("LOCKED"));
    }

    @Test
    void referencesAreExpandedByInfisicalBecauseTheProductAsks() {
        infisical.put(PROJECT, "prod", "/app", "HOST", "db.internal").put(PROJECT, "prod", "/app", "URL",
                "postgres://${HOST}/app");
        h.sync();
        assertEquals("postgres://db.internal/app", h.value("URL"));
    }

    @Test
    void theProductsOwnSecretsAreNeverAdoptedEvenWithoutAKeySchema() {
        h.configure(o -> o.deletionGuard(100, 0));
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        SyncReport r = h.sync(q -> q.withVerbose(true));
        assertEquals(List.of("A CREATE DONE"), lines(r), "the secret holding the client secret is not a candidate");
        assertEquals("ACTIVE", h.state("infisical-client-secret"));
        infisical.put(PROJECT, "prod", "/app", "infisical-client-secret", "overwrite me");
        SyncReport clash = h.sync();
        assertEquals(List.of("infisical-client-secret UPDATE FAILED"), lines(clash));
        assertEquals("name held by a secret this sync does not own: it holds configuration or credentials of this "
                + "product", clash.results().get(0).reason());
        assertEquals(CLIENT_SECRET, h.value("infisical-client-secret"));
    }

    @Test
    void personalSecretsAreNotSynced() {
        infisical.put(PROJECT, "prod", "/app", "A", "a").putPersonal(PROJECT, "prod", "/app", "A", "mine")
                .putPersonal(PROJECT, "prod", "/app", "P", "personal");
        assertEquals(List.of("A CREATE DONE"), lines(h.sync()));
        assertEquals("a", h.value("A"));
    }

    @Test
    void anExpiredTokenIsReplacedAndEveryLoginReadsTheClientSecretAfresh() {
        infisical.tokenLifetimes(120, 100_000);
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        h.sync();
        h.clock.advance(Duration.ofSeconds(90));
        infisical.clearRequests();
        h.sync();
        assertEquals(List.of("POST /api/v1/auth/token/renew", "GET /api/v4/secrets"), infisical.requests(),
                "renewed before it expires");
        h.clock.advance(Duration.ofHours(2));
        infisical.clearRequests();
        h.sync();
        assertEquals(List.of("POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"), infisical.requests());
        assertEquals(2L, h.f.emulator.calls().get("GetSecretBundle"), "each of the two logins read the client secret "
                + "from the vault, the renewal did not");
    }

    /**
     * Current servers fix a token's lifetime when they issue it: a TTL of 0 with a max TTL gives expiresIn = the max
     * TTL (docs/ASSUMPTIONS.md, "Token lifetimes"). The client follows expiresIn: it logs in again rather than use or
     * renew a token about to end.
     */
    @Test
    void aTtlZeroTokenOfACurrentServerEndsAtItsMaxTtlAndIsReplacedByALogin() {
        infisical.issuesTokensAsCurrentServers().tokenLifetimes(0, 120);
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        h.sync();
        h.clock.advance(Duration.ofSeconds(30));
        infisical.clearRequests();
        h.sync();
        assertEquals(List.of("GET /api/v4/secrets"), infisical.requests(), "still good for 90 s");
        h.clock.advance(Duration.ofSeconds(85));
        infisical.clearRequests();
        h.sync();
        assertEquals(List.of("POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"), infisical.requests(),
                "5 s before the end: a new login, not a renewal past the max TTL nor a 403");
    }

    @Test
    void aTokenRefusedMidRunLogsInAgainOnce() {
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        h.sync();
        infisical.revokeTokens(); // still valid for the client, refused by the server
        infisical.clearRequests();
        infisical.put(PROJECT, "prod", "/app", "B", "b");
        assertEquals(List.of("B CREATE DONE"), lines(h.sync()));
        assertEquals(List.of("GET /api/v4/secrets", "POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"),
                infisical.requests());
    }

    @Test
    void rateLimitsAreWaitedOutWithinTheBudget() {
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        infisical.throttleNext(2, 1);
        long started = System.nanoTime();
        assertEquals(List.of("A CREATE DONE"), lines(h.sync()));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1900, "waited as asked");
        infisical.throttleNext(1, 3600);
        SyncReport r = h.sync();
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical rate-limited listing the secrets of project " + PROJECT + " environment prod "
                + "path /app and the run's time budget does not allow waiting (Rate limit exceeded. Please try again "
                + "in 3600 seconds)", r.error());
    }

    @Test
    void aTypoWithForceFailsNamingItAndDeletesNothingWhenInfisicalAnswers404() {
        infisical.missingFolderAnswers404();
        infisical.put(PROJECT, "prod", "/app", "A", "a").put(PROJECT, "prod", "/app", "B", "b");
        assertEquals(List.of("A CREATE DONE", "B CREATE DONE"), lines(h.sync()));
        h.f.emulator.calls().reset();
        for (String[] typo : List.of(new String[] {"prdo", "/app"}, new String[] {"prod", "/ap"})) {
            use(typo[0], typo[1], s -> s.recursive(typo[0].equals("prod")));
            SyncReport r = h.sync(q -> q.withForce(true));
            assertEquals(SyncStatus.FAILED, r.status());
            assertEquals("source: infisical answered HTTP 404 when listing the secrets of project " + PROJECT
                    + " environment " + typo[0] + " path " + typo[1] + " (Folder with path '" + typo[1] + "' in "
                    + "environment '" + typo[0] + "' was not found. Please ensure the environment slug and secret "
                    + "path is correct.); check the project id, the environment slug and the secret path", r.error());
            assertEquals(List.of(), r.results());
        }
        assertEquals("ACTIVE", h.state("A"));
        assertEquals("ACTIVE", h.state("B"));
        assertEquals(null, h.f.emulator.calls().snapshot().get("ScheduleSecretDeletion"));
    }

    @Test
    void hiddenValuesFailTheRunBeforeAnyWrite() {
        infisical.put(PROJECT, "prod", "/app", "OWN", "own").put(PROJECT, "prod", "/shared", "SHARED", "s")
                .importFolder(PROJECT, "prod", "/app", "prod", "/shared");
        assertEquals(List.of("OWN CREATE DONE", "SHARED CREATE DONE"), lines(h.sync()));
        infisical.sendsPlaceholders().denyValues(PROJECT, "prod", "/shared");
        infisical.put(PROJECT, "prod", "/app", "OWN", "own-2");
        h.f.emulator.calls().reset();
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals("source: infisical returned 1 hidden value(s) for project " + PROJECT + " environment prod path "
                + "/app; nothing is synced from placeholders: give the machine identity read access to secret values",
                r.error());
        assertEquals(List.of(), r.results());
        assertEquals("own", h.value("OWN"), "nothing written, not even the readable change");
        assertEquals("s", h.value("SHARED"));
        // A manual operation lists the vault, records itself, and lists again before it reads the source
        // (docs/ARCHITECTURE.md, "Data path"); nothing else may have been written but its status.
        assertEquals(Map.of("UpdateSecret", 2L), writes(), "the source failed before anything was written but this "
                + "manual operation's record of itself on the sync's state secret, and then its status there");
        assertEquals("FAILED", h.tags("ovs-state-app").get("ovs_status"));
        assertTrue(h.f.emulator.calls().snapshot().getOrDefault("ListSecrets", 0L) <= 2);
    }

    @Test
    void refusalsNameTheProjectEnvironmentAndPath() {
        infisical.missingFolderAnswers404();
        use("staging", "/app");
        SyncReport r = h.sync();
        assertEquals("source: infisical answered HTTP 404 when listing the secrets of project " + PROJECT
                + " environment staging path /app (Folder with path '/app' in environment 'staging' was not found. "
                + "Please ensure the environment slug and secret path is correct.); check the project id, the "
                + "environment slug and the secret path", r.error());
        infisical.identity(CLIENT_ID, "rotated");
        infisical.revokeTokens();
        use("prod", "/app");
        SyncReport refused = h.sync();
        assertTrue(refused.error().startsWith("source: infisical at " + infisical.url() + " refused the login of "
                + "machine identity " + CLIENT_ID + " (HTTP 401"), refused.error());
        assertTrue(!refused.error().contains(CLIENT_SECRET));
    }

    /** A new version of a secret in the emulated vault, as an operator's edit makes it. */
    private void storeInVault(String secretId, String value) {
        h.f.vaults().updateSecret(com.oracle.bmc.vault.requests.UpdateSecretRequest.builder().secretId(secretId)
                .updateSecretDetails(com.oracle.bmc.vault.model.UpdateSecretDetails.builder()
                        .secretContent(com.oracle.bmc.vault.model.Base64SecretContentDetails.builder()
                                .content(Harness.b64(value)).build()).build()).build());
        h.settle();
    }

    @Test
    void theTestServerLocksAnIdentityAsInfisicalDoes() {
        // backend/src/services/identity-ua/identity-ua-service.ts with the defaults of the identity-lockouts
        // migration: 3 failures, each within 30 s of the one before, lock the identity for 300 s.
        infisical.identity("probe", "right-secret");
        java.util.function.Function<String, Integer> login = secret -> {
            try {
                var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(infisical.url() + "/api/v1/auth/universal-auth/login"))
                        .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                                .ofString("{\"clientId\":\"probe\",\"clientSecret\":\"" + secret + "\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.body().contains("temporarily locked") ? 423 : r.statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(401, login.apply("wrong"));
        h.clock.advance(Duration.ofSeconds(29));
        assertEquals(401, login.apply("wrong"));
        h.clock.advance(Duration.ofSeconds(31));
        assertEquals(401, login.apply("wrong"), "the count expired 30 s after the last failure: this is failure 1");
        assertEquals(401, login.apply("wrong"));
        assertEquals(401, login.apply("wrong"), "the third failure in a row locks");
        assertEquals(423, login.apply("right-secret"), "locked: even the right secret is refused");
        h.clock.advance(Duration.ofSeconds(301));
        assertEquals(200, login.apply("right-secret"));
    }

    @Test
    void aClientSecretFixedInOciVaultIsUsedByTheNextLoginAndAWrongOneNeverLocksTheIdentity() {
        infisical.put(PROJECT, "prod", "/app", "A", "a");
        storeInVault(clientSecretId, "a-wrong-client-secret");
        List<String> errors = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            errors.add(h.sync().error());
            h.clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(1, infisical.failedLogins(), "one refused login, then none while Infisical's count runs");
        assertTrue(!infisical.locked(CLIENT_ID));
        assertEquals("source: infisical at " + infisical.url() + " refused the login of machine identity " + CLIENT_ID
                + " (HTTP 401: Invalid credentials); the client secret is read afresh from OCI Vault for the next "
                + "login, no sooner than 35 s from now", errors.get(0));
        assertEquals("source: infisical at " + infisical.url() + " refused the login of machine identity " + CLIENT_ID
                + " less than 35 s ago (HTTP 401: Invalid credentials); no login is tried before Infisical's count of "
                + "failed logins expires, so the identity is never locked out (3 failed logins within 30 s lock it "
                + "for 5 minutes)", errors.get(1));
        assertEquals("source: the client secret of machine identity " + CLIENT_ID + " in OCI Vault is the one "
                + "infisical at " + infisical.url() + " refused (Invalid credentials) less than 5 minutes ago; it is "
                + "not sent again until it changes in OCI Vault", errors.get(5), "the same refused value is not sent");
        // Another wrong value is tried once, past the count's expiry: still no lock.
        storeInVault(clientSecretId, "another-wrong-client-secret");
        h.sync();
        assertEquals(2, infisical.failedLogins());
        assertTrue(!infisical.locked(CLIENT_ID));
        // The operator fixes the secret in OCI Vault: the next login, 35 s on, reads it and succeeds.
        storeInVault(clientSecretId, CLIENT_SECRET);
        h.clock.advance(Duration.ofSeconds(36));
        SyncReport fixed = h.sync();
        assertEquals(null, fixed.error());
        assertEquals(List.of("A CREATE DONE"), lines(fixed));
        assertEquals(2, infisical.failedLogins());
    }

    private Map<String, Long> writes() {
        Map<String, Long> calls = new java.util.TreeMap<>(h.f.emulator.calls().snapshot());
        calls.keySet().retainAll(List.of("CreateSecret", "UpdateSecret", "ScheduleSecretDeletion",
                "CancelSecretDeletion"));
        return calls;
    }

        private void removeKey(String key) {
        infisical.remove(PROJECT, "prod", "/app", key);
    }
}
