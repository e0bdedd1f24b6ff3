package ocivaultsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The JSON lines the container would print while it is open: every record formatted by quarkus-logging-json's own
 * formatter (the one {@code quarkus.log.console.json.enabled=true} installs), on the thread that logged it, as the
 * console handler does. Each line is kept with that thread's name.
 */
public final class JsonLogLines extends Handler implements AutoCloseable {

    /** One printed line and the thread that logged it. */
    public record Line(String thread, String text) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(text, e);
            }
        }

        /** A field of the line's MDC object ({@code "mdc": {...}}), or null. */
        public String mdc(String key) {
            JsonNode v = json().path("mdc").get(key);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final io.quarkus.logging.json.runtime.JsonFormatter formatter =
            new io.quarkus.logging.json.runtime.JsonFormatter();
    private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
    private final Logger root = Logger.getLogger("");

    public JsonLogLines() {
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(new Line(Thread.currentThread().getName(), formatter.format(r).strip()));
    }

    /** The lines logged so far by threads the filter accepts. */
    public List<Line> from(Predicate<String> thread) {
        synchronized (lines) {
            return lines.stream().filter(l -> thread.test(l.thread())).toList();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
