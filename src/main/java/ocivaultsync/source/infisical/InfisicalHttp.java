package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ocivaultsync.config.InfisicalHosts;
import ocivaultsync.reconcile.Backoff;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.source.SourceException;

/**
 * JSON over HTTPS to one Infisical instance, with its 429 discipline: wait as the answer asks ("Please try again in N
 * seconds", or {@code Retry-After}), else back off, but never past the run's deadline. TLS verification is the JDK's,
 * always on; timeouts are bounded; answers are read up to a size cap, so a misbehaving server or proxy cannot exhaust
 * the function's memory.
 */
final class InfisicalHttp {

    /** An HTTP answer: status and parsed body. */
    record Answer(int status, JsonNode body, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * Infisical's message. A validation failure (422) carries it as an array of issues
         * ({@code backend/src/server/plugins/error-handler.ts}, the ZodError branch): each issue's path and message
         * are shown, never a value.
         */
        String message() {
            return cut(fullMessage());
        }

        /** The message uncut: text that may quote a value is redacted from this, then cut ({@link #cut}). */
        String fullMessage() {
            if (body == null || !body.hasNonNull("message")) {
                return "HTTP " + status;
            }
            JsonNode m = body.get("message");
            String text;
            if (m.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode issue : m) {
                    if (issue.isTextual()) {
                        items.add(issue.asText());
                        continue;
                    }
                    List<String> path = new ArrayList<>();
                    issue.path("path").forEach(p -> path.add(p.asText()));
                    String msg = issue.path("message").asText("invalid");
                    items.add(path.isEmpty() ? msg : String.join(".", path) + ": " + msg);
                }
                text = String.join("; ", items);
            } else {
                text = m.asText();
            }
            return text;
        }
    }

    /** Keeps a server's message short; cut only after redacting, so a value split by the cut cannot slip through. */
    static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRY_AGAIN = Pattern.compile("try again in (\\d+) second", Pattern.CASE_INSENSITIVE);
    static final int MAX_ATTEMPTS = 6;
    /** The wait after a 429 that says not how long: 1 s, doubling, at most 32 s. */
    static final Backoff RATE_LIMITED = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(32));
    /** Far above any real list answer (Infisical caps a folder's secrets well below this), far below the heap. */
    static final long DEFAULT_MAX_ANSWER_BYTES = 32L * 1024 * 1024;

    private final URI base;
    private final String baseText;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final long maxAnswerBytes;
    private final InfisicalHosts hosts;

    InfisicalHttp(URI base, HttpClient http, Duration requestTimeout, Clock clock, Sleeper sleeper,
            InfisicalHosts hosts) {
        this(base, http, requestTimeout, clock, sleeper, DEFAULT_MAX_ANSWER_BYTES, hosts);
    }

    InfisicalHttp(URI base, HttpClient http, Duration requestTimeout, Clock clock, Sleeper sleeper,
            long maxAnswerBytes, InfisicalHosts hosts) {
        this.base = base;
        this.hosts = hosts;
        // A self-hosted instance behind a sub-path (https://host/infisical) keeps it: paths are appended, not resolved.
        String b = base.toString();
        this.baseText = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    URI base() {
        return base;
    }

    /**
     * Sends a request, waiting out 429s within the deadline. Other statuses are returned as they are.
     *
     * @param what names the request in errors ("listing secrets of …")
     */
    Answer send(String method, String pathAndQuery, Object body, String token, Instant deadline, String what) {
        for (int attempt = 1;; attempt++) {
            Answer a = once(method, pathAndQuery, body, token, what);
            if (a.status() != 429) {
                return a;
            }
            Instant now = clock.instant();
            Duration budget = now.isBefore(deadline) ? Duration.between(now, deadline) : Duration.ZERO;
            Duration wait = retryAfter(a, now, budget).orElse(RATE_LIMITED.delay(attempt - 1));
            if (attempt >= MAX_ATTEMPTS) {
                throw new SourceException("infisical rate-limited " + what + " " + attempt + " times in a row ("
                        + a.message() + ")");
            }
            if (wait.compareTo(budget) > 0) {
                throw new SourceException("infisical rate-limited " + what + " and the run's time budget does not "
                        + "allow waiting (" + a.message() + ")");
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException("interrupted while waiting out infisical's rate limit");
            }
        }
    }

    private Answer once(String method, String pathAndQuery, Object body, String token, String what) {
        checkAddresses(what);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseText + pathAndQuery)).timeout(requestTimeout)
                .header("accept", "application/json");
        if (token != null) {
            req.header("authorization", "Bearer " + token);
        }
        try {
            if (body == null) {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                req.header("content-type", "application/json");
                req.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = r.body()) {
                // One byte past the cap shows an answer over it; the cap itself may be as large as a long holds.
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxAnswerBytes) + 1);
            }
            if (bytes.length > maxAnswerBytes) {
                throw new SourceException("infisical at " + base + " answered more than " + sizeText(maxAnswerBytes)
                        + " while " + what + "; the answer was not read");
            }
            JsonNode parsed = null;
            if (bytes.length > 0) {
                try {
                    parsed = JSON.readTree(bytes);
                } catch (IOException notJson) {
                    parsed = null;
                }
            }
            return new Answer(r.statusCode(), parsed, r.headers().firstValue("retry-after").orElse(null));
        } catch (HttpTimeoutException e) {
            throw new SourceException("infisical at " + base + " did not answer in time while " + what);
        } catch (IOException e) {
            throw new SourceException("infisical at " + base + " cannot be reached while " + what + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while " + what);
        }
    }

    /**
     * The host's addresses, resolved now, must all be public or listed ({@link InfisicalHosts}). The JDK's HTTP client
     * then connects through the same resolver, whose cache ({@code networkaddress.cache.ttl}, 30 s unless set) answers
     * it with the addresses just checked: a DNS answer that changes between the check and the connection (DNS
     * rebinding) would have to expire from that cache in between (see docs/ASSUMPTIONS.md, "DNS answers are cached
     * by the JVM").
     */
    private void checkAddresses(String what) {
        String host = base.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new SourceException("infisical at " + base + " cannot be resolved while " + what);
        }
        hosts.refusal(host, addresses).ifPresent(why -> {
            throw new SourceException(why + " (while " + what + ")");
        });
    }

    private static String sizeText(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    /**
     * How long the answer asks to wait, never more than {@code budget} plus a second (so "more than the budget" is
     * still seen) and never negative: {@code Retry-After} as seconds or an HTTP date, else Infisical's message. A
     * value that is negative, malformed or absurdly large cannot throw or overflow.
     */
    static Optional<Duration> retryAfter(Answer a, Instant now, Duration budget) {
        Duration cap = budget.plusSeconds(1);
        String header = a.retryAfter() == null ? null : a.retryAfter().trim();
        if (header != null && !header.isEmpty()) {
            if (header.matches("\\d{1,30}")) {
                return Optional.of(clamp(header, cap));
            }
            try {
                Instant at = ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
                return Optional.of(d.compareTo(cap) > 0 ? cap : d);
            } catch (DateTimeParseException ignored) {
                // neither seconds nor a date (or a negative number): fall through to the message
            }
        }
        Matcher m = TRY_AGAIN.matcher(a.message());
        return m.find() ? Optional.of(clamp(m.group(1), cap)) : Optional.empty();
    }

    private static Duration clamp(String digits, Duration cap) {
        // Compare as text lengths first: 30 digits do not fit a long.
        String d = digits.replaceFirst("^0+(?=\\d)", "");
        if (d.length() > 12) {
            return cap;
        }
        Duration wait = Duration.ofSeconds(Long.parseLong(d));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
