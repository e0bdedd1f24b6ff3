package ocivaultsync.source.infisical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
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

/** Tokens, errors, answer size and rate-limit waits of the Infisical client, against the truthful test server. */
class InfisicalClientRulesTest {

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock serverClock = new ManualClock();
    final ManualClock clientClock = new ManualClock();
    final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    InfisicalTestServer server;
    InfisicalSources sources;

    @BeforeEach
    void start() throws Exception {
        server = new InfisicalTestServer(serverClock).identity("id", "secret");
        server.put("p", "prod", "/", "A", "CANARY-value");
        sources = sources(InfisicalHttp.DEFAULT_MAX_ANSWER_BYTES);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    InfisicalSources sources(long cap) {
        return new InfisicalSources(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                Duration.ofSeconds(5), clientClock, slept::add, cap, ocivaultsync.config.ConfigBuilder.TEST_HOSTS);
    }

    SecretSource open(InfisicalSources s, String url) {
        var cfg = new InfisicalSourceConfig(URI.create(url), "p", "prod", "/", false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        return s.open(cfg, () -> "secret", clientClock.instant().plusSeconds(60));
    }

    @Test
    void aListedNameThatResolvesToAnUnlistedLoopbackAddressIsNeverContacted() {
        String viaName = server.url().replace("127.0.0.1", "localhost");
        InfisicalSources nameOnly = new InfisicalSources(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build(), Duration.ofSeconds(5), clientClock, slept::add, ocivaultsync.config.InfisicalHosts.of(
                        List.of("localhost")));
        SourceException e = assertThrows(SourceException.class, () -> open(nameOnly, viaName).fetch());
        assertTrue(e.getMessage().matches("the Infisical host localhost resolves to (127\\.0\\.0\\.1|0:0:0:0:0:0:0:1), a "
                + "private, loopback or link-local address that ovs.infisical.allowed-hosts does not list; nothing was "
                + "sent \\(while logging in\\)"), e.getMessage());
        assertEquals(List.of(), server.requests(), "not even the login was sent");
        SourceException unlisted = assertThrows(SourceException.class, () -> open(nameOnly, server.url()));
        assertEquals("source.url: the host 127.0.0.1 is an IP address outside ovs.infisical.allowed-hosts (localhost); "
                + "an operator who runs Infisical there lists that address", unlisted.getMessage());
        InfisicalSources listed = new InfisicalSources(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build(), Duration.ofSeconds(5), clientClock, slept::add, ocivaultsync.config.InfisicalHosts.of(
                        List.of("localhost", "127.0.0.0/8", "::1")));
        assertEquals(1, open(listed, viaName).fetch().secrets().size(), "the operator listed the addresses too");
    }

    void both(Duration d) {
        serverClock.advance(d);
        clientClock.advance(d);
    }

    @Test
    void anExpiredTokenAnswers403TokenErrorAndTheClientLogsInAgain() {
        server.tokenLifetimes(120, 0);
        SecretSource src = open(sources, server.url());
        src.fetch();
        serverClock.advance(Duration.ofSeconds(200)); // the client's clock lags: it still trusts its token
        server.clearRequests();
        assertEquals(1, open(sources, server.url()).fetch().secrets().size());
        assertEquals(List.of("GET /api/v4/secrets", "POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"),
                server.requests());
    }

    @Test
    void renewalStopsBeforeItWouldPassTheMaxTtlAndLogsInInstead() {
        server.tokenLifetimes(100, 250);
        open(sources, server.url()).fetch();
        both(Duration.ofSeconds(50));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("POST /api/v1/auth/token/renew", "GET /api/v4/secrets"), server.requests(),
                "50 + 100 is within the max TTL of 250");
        both(Duration.ofSeconds(90));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("POST /api/v1/auth/token/renew", "GET /api/v4/secrets"), server.requests(),
                "140 + 100 is still within it; the renewed token is a new string and it works");
        both(Duration.ofSeconds(60));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"), server.requests(),
                "200 + 100 would pass 250: Infisical would refuse and delete the token, so no renewal is tried");
    }

    @Test
    void aTokenWithoutExpiryIsKeptNotReplacedEveryFewMinutes() {
        server.tokenLifetimes(0, 0);
        open(sources, server.url()).fetch();
        both(Duration.ofDays(10));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("GET /api/v4/secrets"), server.requests());
    }

    @Test
    void aValidationFailureShowsEachIssueOfInfisicalsArray() {
        SecretSource src = open(sources, server.url());
        src.fetch();
        Map<String, ImportSink.Outcome> out = src.write(Map.of("db:pass", SecretValue.ofUtf8("CANARY-import")));
        assertEquals(ResultStatus.FAILED, out.get("db:pass").status());
        assertEquals("infisical answered HTTP 422 when importing into project p environment prod path / "
                + "(secrets.0.secretKey: Secret name cannot contain colon or forward slash.)", out.get("db:pass").detail());
    }

    @Test
    void aWriteIntoAMissingFolderIs404() {
        var cfg = new InfisicalSourceConfig(URI.create(server.url()), "p", "prod", "/gone", false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        SecretSource src = sources.open(cfg, () -> "secret", clientClock.instant().plusSeconds(60));
        Map<String, ImportSink.Outcome> out = src.write(Map.of("K", SecretValue.ofUtf8("CANARY-import")));
        assertEquals("infisical answered HTTP 404 when importing into project p environment prod path /gone (Folder "
                + "with path '/gone' in environment with slug 'prod' not found); check the project id, the "
                + "environment slug and the secret path", out.get("K").detail());
    }

    @Test
    void aSelfHostedSubPathIsKeptAndAServerWithoutV4SaysSo() throws Exception {
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        HttpServer old = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        old.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            paths.add(ex.getRequestMethod() + " " + path);
            boolean login = path.equals("/infisical/api/v1/auth/universal-auth/login");
            byte[] body = (login ? "{\"accessToken\":\"t\",\"expiresIn\":600,\"accessTokenMaxTTL\":0}"
                    : "{\"message\":\"Route " + ex.getRequestMethod() + ":" + path + " not found\",\"error\":"
                            + "\"Not Found\",\"statusCode\":404}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(login ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        old.start();
        try {
            String url = "http://127.0.0.1:" + old.getAddress().getPort() + "/infisical";
            SourceException e = assertThrows(SourceException.class, () -> open(sources, url).fetch());
            assertEquals("infisical at " + url + " has no route for listing the secrets of project p environment "
                    + "prod path / (Route GET:/infisical/api/v4/secrets not found); this product needs an Infisical "
                    + "with the v4 secrets API", e.getMessage());
            assertEquals(List.of("POST /infisical/api/v1/auth/universal-auth/login", "GET /infisical/api/v4/secrets"),
                    paths);
        } finally {
            old.stop(0);
        }
    }

    @Test
    void anAnswerOverTheSizeCapFailsWithoutQuotingIt() {
        server.padListAnswers(4096);
        SourceException e = assertThrows(SourceException.class, () -> open(sources(2048), server.url()).fetch());
        assertEquals("infisical at " + server.url() + " answered more than 2048 bytes while listing the secrets of "
                + "project p environment prod path /; the answer was not read", e.getMessage());
        assertFalse(e.getMessage().contains("CANARY"));
        server.padListAnswers(0);
        assertEquals(1, open(sources(2048), server.url()).fetch().secrets().size(), "a small answer passes");
    }

    @Test
    void retryAfterIsClampedToTheBudgetWhateverItSays() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Duration budget = Duration.ofSeconds(60);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(7).atZone(ZoneOffset.UTC));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(7).atZone(ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(3)), InfisicalHttp.retryAfter(answer("3", ""), now, budget));
        assertEquals(Optional.of(Duration.ofSeconds(61)), InfisicalHttp.retryAfter(answer("999999999999999999999999",
                ""), now, budget), "a huge value is the budget and a second: too long, never an overflow");
        assertEquals(Optional.of(Duration.ofSeconds(7)), InfisicalHttp.retryAfter(answer(date, ""), now, budget));
        assertEquals(Optional.of(Duration.ZERO), InfisicalHttp.retryAfter(answer(past, ""), now, budget));
        assertEquals(Optional.empty(), InfisicalHttp.retryAfter(answer("-5", ""), now, budget), "back off instead");
        assertEquals(Optional.empty(), InfisicalHttp.retryAfter(answer("soon", ""), now, budget));
        assertEquals(Optional.of(Duration.ofSeconds(61)), InfisicalHttp.retryAfter(answer(null,
                "Please try again in 99999999999999999999999 seconds"), now, budget));
        assertEquals(Optional.of(Duration.ofSeconds(2)), InfisicalHttp.retryAfter(answer("nonsense",
                "Please try again in 2 seconds"), now, budget));
    }

    @Test
    void aHugeRetryAfterFailsTheReadWithinTheBudgetAndAGoodOneIsWaited() {
        open(sources, server.url()).fetch();
        server.throttleNext(1, 1, "999999999999999999999999");
        SourceException e = assertThrows(SourceException.class, () -> open(sources, server.url()).fetch());
        assertEquals("infisical rate-limited listing the secrets of project p environment prod path / and the run's "
                + "time budget does not allow waiting (Rate limit exceeded. Please try again in 1 seconds)",
                e.getMessage());
        server.throttleNext(1, 1, "-3");
        assertEquals(1, open(sources, server.url()).fetch().secrets().size());
        assertEquals(Duration.ofSeconds(1), slept.get(slept.size() - 1), "a negative header: the message's wait");
    }

    @Test
    void aRateLimitThatSaysNotWhenIsWaitedOutByTheClientsOwnDoublingBackOffForABoundedNumberOfAttempts() {
        server.throttleNextWithoutHint(3);
        assertEquals(1, open(sources, server.url()).fetch().secrets().size());
        Duration first = InfisicalHttp.RATE_LIMITED.first();
        assertEquals(List.of(first, first.multipliedBy(2), first.multipliedBy(4)), slept, "doubling from the first");
        slept.clear();
        server.throttleNextWithoutHint(InfisicalHttp.MAX_ATTEMPTS);
        SourceException e = assertThrows(SourceException.class, () -> open(sources, server.url()).fetch());
        assertEquals("infisical rate-limited listing the secrets of project p environment prod path / "
                + InfisicalHttp.MAX_ATTEMPTS + " times in a row (Too Many Requests)", e.getMessage());
        assertEquals(IntStream.range(0, InfisicalHttp.MAX_ATTEMPTS - 1).mapToObj(InfisicalHttp.RATE_LIMITED::delay)
                .toList(), slept, "a wait between two attempts, capped at " + InfisicalHttp.RATE_LIMITED.cap());
    }

    @Test
    void nestedImportsFollowInfisicalsPrecedence() {
        server.put("p", "prod", "/", "OWN", "own").put("p", "prod", "/shared", "X", "shared-own")
                .put("p", "prod", "/base", "X", "base").put("p", "prod", "/base", "Y", "base-only")
                .importFolder("p", "prod", "/", "prod", "/shared")
                .importFolder("p", "prod", "/shared", "prod", "/base");
        Map<String, String> got = new java.util.TreeMap<>();
        open(sources, server.url()).fetch().secrets().forEach(s -> got.put(s.key(), s.value().utf8()));
        assertEquals(Map.of("A", "CANARY-value", "OWN", "own", "X", "shared-own", "Y", "base-only"), got,
                "an imported folder's own secret wins over what it imports in turn");
    }

    @Test
    void anApprovalPolicyHoldsOnlyThePathsItCovers() {
        server.requireApproval("prod", "/locked/**");
        SecretSource src = open(sources, server.url());
        src.fetch();
        assertEquals(ResultStatus.DONE, src.write(Map.of("K", SecretValue.ofUtf8("v"))).get("K").status());
        server.folderAt("p", "prod", "/locked/deep");
        var cfg = new InfisicalSourceConfig(URI.create(server.url()), "p", "prod", "/locked/deep", false, true,
                new InfisicalSourceConfig.InfisicalAuth("id", new SecretRef.Inline("secret")), Optional.empty());
        SecretSource locked = sources.open(cfg, () -> "secret", clientClock.instant().plusSeconds(60));
        assertEquals(ResultStatus.BLOCKED, locked.write(Map.of("K", SecretValue.ofUtf8("v"))).get("K").status());
    }

    @Test
    void referencesStayLiteralUnlessExpansionIsAsked() throws Exception {
        server.put("p", "prod", "/", "URL", "db://${A}");
        String token = "Bearer " + InfisicalHttp.JSON.readTree(java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/auth/universal-auth/login"))
                        .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                                .ofString("{\"clientId\":\"id\",\"clientSecret\":\"secret\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("accessToken").asText();
        for (String expand : List.of("false", "true")) {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(
                    server.url() + "/api/v4/secrets?projectId=p&environment=prod&secretPath=/&expandSecretReferences="
                            + expand)).header("authorization", token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(expand.equals("true"), body.contains("db://CANARY-value"),
                    "references expanded only when asked (expandSecretReferences=" + expand + ")");
        }
    }

    @Test
    void aTokenWithoutExpiryIsReplacedBeforeItsMaxTtlEnds() {
        server.tokenLifetimes(0, 300);
        open(sources, server.url()).fetch();
        both(Duration.ofSeconds(200));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("GET /api/v4/secrets"), server.requests(), "200 s + the margin is within the max TTL");
        both(Duration.ofSeconds(60));
        server.clearRequests();
        open(sources, server.url()).fetch();
        assertEquals(List.of("POST /api/v1/auth/universal-auth/login", "GET /api/v4/secrets"), server.requests(),
                "260 s + the margin passes the max TTL of 300: a fresh login, not a refused call first");
    }

    @Test
    void absurdTokenLifetimesCannotBreakTheClient() {
        server.tokenLifetimes(Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(1, open(sources, server.url()).fetch().secrets().size());
        both(Duration.ofDays(365));
        server.clearRequests();
        assertEquals(1, open(sources, server.url()).fetch().secrets().size());
        assertEquals(List.of("GET /api/v4/secrets"), server.requests(), "read as ten years, the token is kept");
    }

    @Test
    void aRefusalOfAnOldTokenDoesNotWipeAFresherOne() {
        InfisicalHttp http = new InfisicalHttp(URI.create(server.url()), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(5), clientClock, slept::add,
                ocivaultsync.config.ConfigBuilder.TEST_HOSTS);
        TokenManager tokens = new TokenManager(http, "id", clientClock);
        Instant deadline = clientClock.instant().plusSeconds(60);
        String first = tokens.token(() -> "secret", deadline);
        tokens.invalidate("an-older-token");
        assertEquals(first, tokens.token(() -> "secret", deadline), "kept: the refused token was another one");
        tokens.invalidate(first);
        String second = tokens.token(() -> "secret", deadline);
        assertFalse(second.equals(first), "the refused token itself is dropped and a login follows");
    }

    @Test
    void theLargestAnswerCapDoesNotOverflow() {
        assertEquals(1, open(sources(Long.MAX_VALUE), server.url()).fetch().secrets().size());
    }

    @Test
    void aSecretAddedBetweenTheTwoListsIsReadAgainNotReportedAsDropped() {
        server.put("p", "prod", "/shared", "S", "CANARY-s").importFolder("p", "prod", "/", "prod", "/shared");
        server.afterNextList(() -> server.put("p", "prod", "/shared", "NEW", "CANARY-new"));
        SecretSource src = open(sources, server.url());
        assertEquals(List.of("A", "NEW", "S"), src.fetch().secrets().stream().map(x -> x.key()).sorted().toList());
        assertEquals(3, server.requests().stream().filter(r -> r.equals("GET /api/v4/secrets")).count(),
                "values, names, values again");
    }

    @Test
    void aRefusalQuotingAValueIsRedactedBeforeItIsCut() throws Exception {
        String value = "CANARY-quoted-0123456789";
        HttpServer quoting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        quoting.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String body;
            if (path.endsWith("/login")) {
                body = "{\"accessToken\":\"t\",\"expiresIn\":600,\"accessTokenMaxTTL\":0}";
            } else if (path.equals("/api/v4/secrets")) {
                body = "{\"secrets\":[],\"imports\":[]}";
            } else {
                status = 400;
                // The value straddles the 300th character, where a message is cut.
                body = "{\"statusCode\":400,\"message\":\"" + "x".repeat(290) + value + "\",\"error\":\"BadRequest\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        quoting.start();
        try {
            SecretSource src = open(sources, "http://127.0.0.1:" + quoting.getAddress().getPort());
            String detail = src.write(Map.of("K", SecretValue.ofUtf8(value))).get("K").detail();
            assertFalse(detail.contains(value.substring(0, 10)), "no part of the value survives the cut");
            assertEquals("infisical answered HTTP 400 when importing into project p environment prod path / ("
                    + "x".repeat(290) + "***)", detail);
        } finally {
            quoting.stop(0);
        }
    }

    private static InfisicalHttp.Answer answer(String retryAfter, String message) {
        return new InfisicalHttp.Answer(429, InfisicalHttp.JSON.createObjectNode().put("message", message),
                retryAfter);
    }
}
