package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ocivaultsync.source.SourceException;

/**
 * JSON over HTTPS to one Infisical instance, with its 429 discipline: wait as the answer asks ("Please try again in N
 * seconds", or {@code Retry-After}), else back off, but never past the run's deadline. TLS verification is the JDK's,
 * always on; timeouts are bounded.
 */
final class InfisicalHttp {

    /** An HTTP answer: status and parsed body. */
    record Answer(int status, JsonNode body, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String message() {
            if (body != null && body.hasNonNull("message")) {
                String m = body.get("message").asText();
                return m.length() > 300 ? m.substring(0, 300) + "…" : m;
            }
            return "HTTP " + status;
        }
    }

    /** Waits; tests pass one that does not. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRY_AGAIN = Pattern.compile("try again in (\\d+) second", Pattern.CASE_INSENSITIVE);
    static final int MAX_ATTEMPTS = 6;

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Sleeper sleeper;

    InfisicalHttp(URI base, HttpClient http, Duration requestTimeout, Clock clock, Sleeper sleeper) {
        this.base = base;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.sleeper = sleeper;
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
            Duration wait = retryAfter(a).orElse(Duration.ofMillis(500L << Math.min(attempt, 6)));
            if (attempt >= MAX_ATTEMPTS || clock.instant().plus(wait).isAfter(deadline)) {
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
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(requestTimeout)
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
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = null;
            if (r.body().length > 0) {
                try {
                    parsed = JSON.readTree(r.body());
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

    private static Optional<Duration> retryAfter(Answer a) {
        if (a.retryAfter() != null) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(a.retryAfter().trim())));
            } catch (NumberFormatException ignored) {
                // an HTTP date: fall through to the message
            }
        }
        Matcher m = TRY_AGAIN.matcher(a.message());
        return m.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
