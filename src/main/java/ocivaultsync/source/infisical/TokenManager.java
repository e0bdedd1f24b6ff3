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
    /**
     * Infisical's largest TTL and max TTL (315,360,000 s, ten years: the identity universal-auth schemas in
     * {@code backend/src/server/routes/v1/identity-universal-auth-router.ts}); larger answers are read as this, so an
     * absurd value cannot overflow an {@link Instant}.
     */
    static final long MAX_TTL_SECONDS = 315_360_000L;

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
        Instant soon = now.plus(RENEW_MARGIN);
        // A token without expiry (TTL 0) still ends at creation + max TTL, when there is one.
        if (token != null && (expiresAt == null || soon.isBefore(expiresAt))
                && (maxUntil == null || soon.isBefore(maxUntil))) {
            return token;
        }
        if (token != null && expiresAt != null && now.isBefore(expiresAt) && renewable(now)) {
            InfisicalHttp.Answer a = http.send("POST", "/api/v1/auth/token/renew", Map.of("accessToken", token), null,
                    deadline, "renewing the access token");
            if (a.ok()) {
                accept(a.body(), false);
                return token;
            }
            // A token that cannot be renewed is simply replaced.
        }
        String secret = clientSecret.get();
        if (secret.startsWith(InfisicalSources.UNSET_CLIENT_SECRET)) {
            throw new SourceException("the client secret of machine identity " + clientId + " is still the "
                    + "placeholder the Terraform module stored: store the identity's client secret as a new version of "
                    + "that secret (the module's output infisical_client_secret_id; docs/DEPLOY.md)");
        }
        InfisicalHttp.Answer a = http.send("POST", "/api/v1/auth/universal-auth/login",
                Map.of("clientId", clientId, "clientSecret", secret), null, deadline, "logging in");
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

    /**
     * The token {@code refused} was refused: forget it, unless another call has already replaced it (a fresher
     * token must not be wiped by a thread that still held the old one).
     */
    synchronized void invalidate(String refused) {
        if (token == null || !token.equals(refused)) {
            return;
        }
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
        long expiresIn = Math.min(MAX_TTL_SECONDS, Math.max(0, body.path("expiresIn").asLong(0)));
        expiresAt = expiresIn > 0 ? now.plusSeconds(expiresIn) : null;
        if (login) {
            ttl = Duration.ofSeconds(expiresIn);
            long maxTtl = Math.min(MAX_TTL_SECONDS, Math.max(0, body.path("accessTokenMaxTTL").asLong(0)));
            maxUntil = maxTtl > 0 ? now.plusSeconds(maxTtl) : null;
        }
    }
}
