package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import ocivaultsync.source.SourceException;

/**
 * A machine identity's access token (universal auth), kept per container: logged in once, renewed before it expires
 * while its maximum TTL allows, then replaced by a fresh login. A refused token (401, or 403 {@code TokenError}) is
 * dropped so the next call logs in again.
 *
 * <p>Infisical's rules ({@code backend/src/services/identity-access-token/identity-access-token-service.ts}): a TTL of
 * 0 means the token does not expire; a max TTL of 0 means no cap; a renewal that would extend the token past creation
 * + max TTL is refused <em>and deletes the token</em>, so the manager stops renewing before that point and logs in.
 */
final class TokenManager {

    /** Renew when less than this is left (an invocation can run for minutes). */
    static final Duration RENEW_MARGIN = Duration.ofSeconds(60);
    /** Slack for the clocks of Infisical and this function not agreeing exactly. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(10);

    private final InfisicalHttp http;
    private final String clientId;
    private final Clock clock;
    private String token;
    /** {@code null}: the token does not expire (TTL 0). */
    private Instant expiresAt;
    private Duration ttl;
    /** {@code null}: no max TTL. */
    private Instant maxUntil;

    TokenManager(InfisicalHttp http, String clientId, Clock clock) {
        this.http = http;
        this.clientId = clientId;
        this.clock = clock;
    }

    /** A valid token; {@code clientSecret} is asked for only when a login is needed. */
    synchronized String token(Supplier<String> clientSecret, Instant deadline) {
        Instant now = clock.instant();
        if (token != null && (expiresAt == null || now.plus(RENEW_MARGIN).isBefore(expiresAt))) {
            return token;
        }
        if (token != null && now.isBefore(expiresAt) && renewable(now)) {
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

    /** Infisical refuses (and deletes the token) when now + TTL would pass creation + max TTL. */
    private boolean renewable(Instant now) {
        return maxUntil == null || !now.plus(ttl).plus(CLOCK_SLACK).isAfter(maxUntil);
    }

    /** The token was refused: forget it. */
    synchronized void invalidate() {
        token = null;
        expiresAt = null;
        ttl = null;
        maxUntil = null;
    }

    private void accept(JsonNode body, boolean login) {
        if (body == null || !body.hasNonNull("accessToken")) {
            throw new SourceException("infisical at " + http.base() + " answered the login without an access token");
        }
        Instant now = clock.instant();
        // Newer servers hand out a new token string on renewal; older ones keep the old one. Either is taken.
        token = body.get("accessToken").asText();
        long expiresIn = Math.max(0, body.path("expiresIn").asLong(0));
        expiresAt = expiresIn > 0 ? now.plusSeconds(expiresIn) : null;
        if (login) {
            ttl = Duration.ofSeconds(expiresIn);
            long maxTtl = Math.max(0, body.path("accessTokenMaxTTL").asLong(0));
            maxUntil = maxTtl > 0 ? now.plusSeconds(maxTtl) : null;
        }
    }
}
