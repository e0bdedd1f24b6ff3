package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import ocivaultsync.source.SourceException;

/**
 * A machine identity's access token (universal auth), kept per container: logged in once, renewed before it expires
 * while its maximum TTL allows, then replaced by a fresh login. A 401 drops it so the next call logs in again.
 */
final class TokenManager {

    /** Renew when less than this is left (an invocation can run for minutes). */
    static final Duration RENEW_MARGIN = Duration.ofSeconds(60);

    private final InfisicalHttp http;
    private final String clientId;
    private final Clock clock;
    private String token;
    private Instant expiresAt;
    private Instant maxUntil;

    TokenManager(InfisicalHttp http, String clientId, Clock clock) {
        this.http = http;
        this.clientId = clientId;
        this.clock = clock;
    }

    /** A valid token; {@code clientSecret} is asked for only when a login is needed. */
    synchronized String token(java.util.function.Supplier<String> clientSecret, Instant deadline) {
        Instant now = clock.instant();
        if (token != null && now.plus(RENEW_MARGIN).isBefore(expiresAt)) {
            return token;
        }
        if (token != null && now.isBefore(expiresAt) && maxUntil != null && now.plus(RENEW_MARGIN).isBefore(maxUntil)) {
            InfisicalHttp.Answer a = http.send("POST", "/api/v1/auth/token/renew", Map.of("accessToken", token), null,
                    deadline, "renewing the access token");
            if (a.ok()) {
                accept(a.body(), false);
                return token;
            }
            // A token that cannot be renewed is simply replaced.
        }
        InfisicalHttp.Answer a = http.send("POST", "/api/v1/auth/universal-auth/login",
                Map.of("clientId", clientId, "clientSecret", clientSecret.get()), null, deadline, "logging in");
        if (!a.ok()) {
            throw new SourceException("infisical at " + http.base() + " refused the login of machine identity "
                    + clientId + " (HTTP " + a.status() + ": " + a.message() + ")");
        }
        accept(a.body(), true);
        return token;
    }

    /** The token was refused (401): forget it. */
    synchronized void invalidate() {
        token = null;
        expiresAt = null;
        maxUntil = null;
    }

    private void accept(JsonNode body, boolean login) {
        if (body == null || !body.hasNonNull("accessToken")) {
            throw new SourceException("infisical at " + http.base() + " answered the login without an access token");
        }
        Instant now = clock.instant();
        token = body.get("accessToken").asText();
        long expiresIn = body.path("expiresIn").asLong(0);
        expiresAt = expiresIn > 0 ? now.plusSeconds(expiresIn) : now.plus(Duration.ofMinutes(5));
        if (login) {
            long maxTtl = body.path("accessTokenMaxTTL").asLong(0);
            maxUntil = maxTtl > 0 ? now.plusSeconds(maxTtl) : null;
        }
    }
}
