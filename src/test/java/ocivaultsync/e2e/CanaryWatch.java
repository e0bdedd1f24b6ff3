package ocivaultsync.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
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

    /** The lines that carry one of the canaries, in plain text or base64. Empty is the only good answer. */
    public List<String> leaks(List<String> canaries) {
        List<String> out = new ArrayList<>();
        synchronized (seen) {
            for (String line : seen) {
                for (String c : canaries) {
                    String b64 = Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8));
                    if (line.contains(c) || line.contains(b64)) {
                        out.add(line.length() > 300 ? line.substring(0, 300) : line);
                    }
                }
            }
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
