package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The one redactor every error path goes through: each form a service may quote a value in. */
class SecretValueTest {

    static final String W = SecretValue.WITHHELD;

    static Stream<Arguments> cases() {
        return Stream.of(
                // what, value, text, expected
                Arguments.of("plain", "hunter2-canary", "bad 'hunter2-canary' here", "bad '***' here"),
                Arguments.of("base64", "hunter2-canary", "bad 'aHVudGVyMi1jYW5hcnk=' here", "bad '***' here"),
                Arguments.of("base64 with \\/", "???>", "bad \"Pz8\\/Pg==\"", "bad \"***\""),
                Arguments.of("JSON quote", "pa\"ss-word", "bad \"pa\\\"ss-word\"", "bad \"***\""),
                Arguments.of("JSON \\/", "pa/ss-word", "bad \"pa\\/ss-word\"", "bad \"***\""),
                Arguments.of("JSON newline", "line\nnext", "bad \"line\\nnext\"", "bad \"***\""),
                Arguments.of("lower-case \\u escape", "esc\u001bseq", "bad \"esc\\u001bseq\"", "bad \"***\""),
                Arguments.of("upper-case \\u escape", "esc\u001bseq", "bad \"esc\\u001Bseq\"", W),
                Arguments.of("upper-case non-ASCII", "p\u00e4ss-wort", "bad \"p\\u00E4ss-wort\"", W),
                Arguments.of("Go's HTML-safe escapes", "<tag>&co", "bad \"\\u003ctag\\u003e\\u0026co\"", W),
                Arguments.of("Go's \\u2028", "line\u2028sep", "bad \"line\\u2028sep\"", "bad \"***\""),
                Arguments.of("Go's \\u2029 upper", "line\u2029sep", "bad \"line\\u2029Sep\"", "bad \"line\\u2029Sep\""),
                Arguments.of("short value present", "ab", "content 'ab' is too short", W),
                Arguments.of("short value, escaped", "q\"", "content \"q\\\"\" is odd", W),
                Arguments.of("short value absent", "zz", "a message about nothing", "a message about nothing"),
                Arguments.of("one character", "7", "HTTP 400: 7 is not allowed", W),
                Arguments.of("unrelated escapes kept", "hunter2-canary", "a \\u0041 and \\uZZZZ", "a \\u0041 and \\uZZZZ"),
                Arguments.of("every occurrence", "hunter2-canary", "hunter2-canary, hunter2-canary", "***, ***"),
                // the forms libraries and servers turn a value into
                Arguments.of("trimmed", "  trimmed-canary\n", "bad 'trimmed-canary' here", "bad '***' here"),
                Arguments.of("URL form-encoded", "p@ss word/canary", "q=p%40ss+word%2Fcanary&x=1", "q=***&x=1"),
                Arguments.of("URL percent-encoded", "p@ss word/canary", "/p%40ss%20word%2Fcanary/", "/***/"),
                Arguments.of("URL lower-case hex", "p@ss word/canary", "q=p%40ss%20word%2fcanary", "q=***"),
                Arguments.of("URL, some characters only", "p@ss word/canary", "q=p%40ss word/canary", W),
                Arguments.of("HTML-escaped", "<b>&'canary\"", "bad &lt;b&gt;&amp;&#39;canary&quot;!", "bad ***!"),
                Arguments.of("HTML, another library's apostrophe", "<b>&'canary\"",
                        "bad &lt;b&gt;&amp;&#x27;canary&quot;!", W),
                Arguments.of("HTML numeric everything", "canary-<tag>", "&#99;&#97;nary-&#60;tag&#62;", W),
                Arguments.of("unpadded base64", "hunter2-canary", "token aHVudGVyMi1jYW5hcnk.", "token ***."),
                Arguments.of("URL-safe base64", "???>>>canary", "b64url Pz8_Pj4-Y2FuYXJ5 end", "b64url *** end"),
                Arguments.of("hex", "hunter2-canary", "bytes 68756e746572322d63616e617279", "bytes ***"),
                Arguments.of("upper-case hex", "hunter2-canary", "bytes 68756E746572322D63616E617279", "bytes ***"),
                Arguments.of("a value short enough to guess", "pass", "password incorrect", W),
                Arguments.of("seven characters", "s3cr3t!", "the value s3cr3t! is refused", W),
                Arguments.of("eight characters are replaced", "s3cr3t!!", "the value s3cr3t!! is refused",
                        "the value *** is refused"),
                Arguments.of("a short value's hex", "ab", "bytes 6162 here", W),
                Arguments.of("a value whose trimmed form is short", "  ab  ", "value 'ab' kept", W));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void redactsEveryFormAServiceMayQuote(String what, String value, String text, String expected) {
        assertEquals(expected, SecretValue.ofUtf8(value).redactFrom(text), what);
    }

    @Test
    void severalValuesAndNoText() {
        SecretValue a = SecretValue.ofUtf8("first-canary");
        SecretValue b = SecretValue.ofUtf8("second-canary");
        assertEquals("*** and ***", SecretValue.redact("first-canary and second-canary", a, b));
        assertEquals("kept", SecretValue.redact("kept", SecretValue.of(new byte[0]), null));
        assertNull(a.redactFrom(null));
    }
}
