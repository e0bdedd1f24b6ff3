package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server's answer may quote a secret value in any form a library turns it into. Here an Infisical that refuses an
 * import quotes the value it was sent (read from the emulated vault) in one form per case; the report must carry the
 * refusal with the value cut out, or withheld whole, and no canary form may reach a log line or the report. A second
 * case sends an access token the JDK refuses as a header value: its exception quotes the header, so it must reach the
 * report and the log by its type only.
 */
class RedactionCanaryTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults());

    static final String VALUE = "  CANARY <v>&'al/ue+1  ";
    static final String TRIMMED = VALUE.strip();
    static final String TOKEN_CANARY = "CANARY-token-0123456789";

    @TempDir
    Path dir;
    Harness h;
    HttpServer infisical;
    volatile UnaryOperator<String> quote = s -> s;
    volatile String token = "token-1";

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(EMULATOR.fixture(), dir);
        infisical = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        infisical.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String body;
            if (path.endsWith("/login")) {
                body = JSON.writeValueAsString(Map.of("accessToken", token, "expiresIn", 600, "accessTokenMaxTTL", 0));
            } else if (path.equals("/api/v4/secrets")) {
                body = "{\"secrets\":[{\"secretKey\":\"OTHER\",\"secretValue\":\"other-value\",\"type\":\"shared\","
                        + "\"version\":1}],\"imports\":[]}";
            } else {
                status = 400;
                String sent = JSON.readTree(ex.getRequestBody()).path("secrets").path(0).path("secretValue").asText();
                body = JSON.writeValueAsString(Map.of("statusCode", 400, "message", "rejected " + quote.apply(sent)
                        + " as invalid", "error", "BadRequest"));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        infisical.start();
        h.infisical(s -> s.infisicalSource("http://127.0.0.1:" + infisical.getAddress().getPort(), "p", "prod")
                .auth("id", "CANARY-client-secret-0123"));
        h.configure(o -> o.keySchema("app-{{secretKey}}"));
    }

    @AfterEach
    void tearDown() {
        infisical.stop(0);
        h.close();
    }

    static final ObjectMapper JSON = new ObjectMapper();

    static String html(String s, String apostrophe) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", apostrophe);
    }

    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(Base64.Encoder e, String s) {
        return e.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static final String CUT = "rejected *** as invalid";

    static Stream<Arguments> forms() {
        return Stream.of(
                // what, how the server quotes the value it was sent, what the report says
                Arguments.of("as sent", (UnaryOperator<String>) s -> s, CUT),
                Arguments.of("trimmed", (UnaryOperator<String>) String::strip, CUT),
                Arguments.of("URL form-encoded", (UnaryOperator<String>) s -> URLEncoder.encode(s,
                        StandardCharsets.UTF_8), CUT),
                Arguments.of("URL percent-encoded, lower-case hex", (UnaryOperator<String>) s -> URLEncoder.encode(
                        s.strip(), StandardCharsets.UTF_8).replace("+", "%20").replace("%3C", "%3c"), SecretValue.WITHHELD),
                Arguments.of("HTML-escaped", (UnaryOperator<String>) s -> html(s, "&#39;"), CUT),
                Arguments.of("HTML-escaped, &#x27;", (UnaryOperator<String>) s -> html(s.strip(), "&#x27;"),
                        SecretValue.WITHHELD),
                Arguments.of("base64 without padding", (UnaryOperator<String>) s -> b64(Base64.getEncoder()
                        .withoutPadding(), s), CUT),
                Arguments.of("URL-safe base64", (UnaryOperator<String>) s -> b64(Base64.getUrlEncoder(), s.strip()), CUT),
                Arguments.of("hex", (UnaryOperator<String>) RedactionCanaryTest::hex, CUT),
                Arguments.of("upper-case hex of the trimmed value", (UnaryOperator<String>) s -> hex(s.strip())
                        .toUpperCase(), CUT),
                Arguments.of("JSON \\u escapes", (UnaryOperator<String>) s -> SecretValue.json(s.strip(), false, false)
                        .replace("<", "\\u003C").replace(">", "\\u003E"), SecretValue.WITHHELD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void aValueQuotedInAnyFormNeverReachesTheReportOrTheLog(String what, UnaryOperator<String> form, String said) {
        quote = form;
        h.seed("app-K", VALUE, Map.of(), null);
        try (CanaryWatch watch = new CanaryWatch()) {
            RunReport r = h.call("import", "{\"sync\":\"app\",\"behavior\":\"prioritize-destination\"}", Map.of());
            watch.saw("report", r);
            SyncReport s = r.syncs().get(0);
            SecretResult k = s.results().stream().filter(x -> x.name().equals("app-K")).findFirst().orElseThrow();
            assertEquals("the value could not be written into the source: infisical answered HTTP 400 when importing "
                    + "into project p environment prod path / ("
                    + said + ")", k.reason(), what);
            // The failing pass's status keeps that reason (cut short) on the sync's state secret, and status answers it.
            ocivaultsync.report.StatusReport.Sync status = h.status();
            watch.saw("status", status);
            watch.saw("state secret", h.tags("ovs-state-app"));
            String full = "app-K: " + k.reason();
            int max = ocivaultsync.report.PassStatus.MAX_REASON;
            assertEquals(full.length() <= max ? full : full.substring(0, max - 3) + "...", status.reason(), what);
            assertEquals(List.of(), watch.leaks(List.of(VALUE, TRIMMED)), what);
        }
    }

    @Test
    void anUnexpectedExceptionReachesTheReportAndTheLogByItsTypeOnly() {
        // The JDK refuses a header value with a line break and quotes it whole in its message.
        token = "token\r\n" + TOKEN_CANARY;
        h.source(Map.of());
        try (CanaryWatch watch = new CanaryWatch()) {
            RunReport r = h.call("sync", "{\"sync\":\"app\"}", Map.of());
            watch.saw("report", r);
            assertEquals("internal error (IllegalArgumentException)", r.syncs().get(0).error());
            watch.saw("status", h.status());
            watch.saw("state secret", h.tags("ovs-state-app"));
            assertEquals("internal error (IllegalArgumentException)", h.status().reason());
            assertEquals(List.of(), watch.leaks(List.of(TOKEN_CANARY)));
        }
        assertEquals(Map.of(), h.valueSecrets(), "no value was written (the sync's record of the request may be)");
    }
}
