package ocivaultsync.e2e;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches everything a run emits (log records with their exceptions, reports, error messages) so a test can assert
 * that no secret value ever appears in any of it: recognisable canary values, looked for in plain and base64 form.
 */
public final class CanaryWatch extends Handler implements AutoCloseable {

    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final Logger root = Logger.getLogger("");

    public CanaryWatch() {
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        String msg = r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : new java.util.logging.SimpleFormatter().formatMessage(r);
        seen.add("log " + r.getLoggerName() + ": " + msg);
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            seen.add("log exception: " + t);
        }
    }

    /** Something else the run produced: a report, an error message, an HTTP body. */
    public void saw(String what, Object output) {
        seen.add(what + ": " + output);
    }

    public int size() {
        return seen.size();
    }

    /**
     * The lines that carry one of the canaries, in any form a library or a server may turn a value into: as it is,
     * trimmed, base64 (standard or URL-safe, padded or not), hex (either case), URL-encoded, HTML-escaped, or hidden
     * behind escapes the line decodes to ({@code \\uXXXX}, HTML references, percent-escapes). Written apart from the
     * product's redactor on purpose: a watch that shared its code would share its blind spots. Empty is the only good
     * answer.
     */
    public List<String> leaks(List<String> canaries) {
        List<String> out = new ArrayList<>();
        synchronized (seen) {
            for (String line : seen) {
                List<String> readings = readings(line);
                boolean leaked = false;
                for (String c : canaries) {
                    for (String form : forms(c)) {
                        for (String reading : readings) {
                            leaked |= reading.contains(form);
                        }
                    }
                }
                if (leaked) {
                    out.add(line.length() > 300 ? line.substring(0, 300) : line);
                }
            }
        }
        return out;
    }

    /** The forms a canary is looked for in. */
    static List<String> forms(String canary) {
        List<String> forms = new ArrayList<>();
        for (String v : List.of(canary, canary.strip())) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            String b64 = Base64.getEncoder().encodeToString(bytes);
            String url = Base64.getUrlEncoder().encodeToString(bytes);
            String hex = HexFormat.of().formatHex(bytes);
            String formEncoded = URLEncoder.encode(v, StandardCharsets.UTF_8);
            forms.addAll(List.of(v, b64, b64.replace("=", ""), url, url.replace("=", ""), hex,
                    hex.toUpperCase(Locale.ROOT), formEncoded, formEncoded.replace("+", "%20"),
                    v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                            .replace("'", "&#39;")));
        }
        return forms;
    }

    /** The line, and the line with its escapes decoded. */
    static List<String> readings(String line) {
        List<String> out = new ArrayList<>(List.of(line));
        out.add(Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(line)
                .replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16)))));
        out.add(Pattern.compile("&#(x?)([0-9a-fA-F]+);").matcher(line.replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&lt;", "<").replace("&gt;", ">")).replaceAll(m -> Matcher.quoteReplacement(String.valueOf(
                        (char) Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16)))).replace("&amp;", "&"));
        try {
            out.add(URLDecoder.decode(line, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notEncoded) {
            // a stray % : the line is read as it is
        }
        return out;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
