package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * <p>A login never uses a stale client secret, and never walks into Infisical's lockout: Infisical locks an identity
 * for 300 s once 3 logins failed, each within 30 s of the one before
 * ({@code backend/src/services/identity-ua/identity-ua-service.ts}, defaults in
 * {@code backend/src/db/migrations/20250815022242_identity-lockouts.ts}). So: every login reads the client secret
 * afresh from OCI Vault (logins are rare: once per token lifetime), so a secret fixed in OCI Vault is used by the next
 * login of every container; a secret Infisical refused ("Invalid credentials") is not sent again for
 * {@link #REFUSED_FOR}, unless it changed; and no login is tried within {@link #AFTER_FAILURE} of a refused one, by the
 * time Infisical's count of failures has expired. One container thus adds at most one failure to that count, and a
 * run at most one failed login.
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
    /** Infisical's failure count expires 30 s after the last failure; a few seconds more for the clocks. */
    static final Duration AFTER_FAILURE = Duration.ofSeconds(35);
    /** A refused client secret is not sent again this long (Infisical's lock lasts 300 s) unless it changes. */
    static final Duration REFUSED_FOR = Duration.ofMinutes(5);

    private final InfisicalHttp http;
    private final String clientId;
    private final Clock clock;
    private String token;
    /** {@code null}: the token does not expire (TTL 0). */
    private Instant expiresAt;
    private Duration ttl;
    /** {@code null}: no max TTL. */
    private Instant maxUntil;
    /** The SHA-256 of the client secret Infisical last refused, and when; a refused login, and when. */
    private byte[] refusedSecret;
    private Instant refusedAt;
    private Instant failedAt;
    private String failure;

    TokenManager(InfisicalHttp http, String clientId, Clock clock) {
        this.http = http;
        this.clientId = clientId;
        this.clock = clock;
    }

    /**
     * A valid token; {@code clientSecret} is asked for only when a login is needed, and must read the secret afresh
     * (not from a cache).
     */
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
        return login(clientSecret, deadline, now);
    }

    /** A login with the client secret read afresh, unless a refusal says it would fail (see the class comment). */
    private String login(Supplier<String> clientSecret, Instant deadline, Instant now) {
        if (failedAt != null && now.isBefore(failedAt.plus(AFTER_FAILURE))) {
            throw new SourceException("infisical at " + http.base() + " refused the login of machine identity "
                    + clientId + " less than " + AFTER_FAILURE.toSeconds() + " s ago (" + failure + "); no login is "
                    + "tried before Infisical's count of failed logins expires, so the identity is never locked out "
                    + "(3 failed logins within 30 s lock it for 5 minutes)");
        }
        String secret = clientSecret.get();
        if (secret.startsWith(InfisicalSources.UNSET_CLIENT_SECRET)) {
            throw new SourceException("the client secret of machine identity " + clientId + " is still the "
                    + "placeholder the Terraform module stored: store the identity's client secret as a new version of "
                    + "that secret (the module's output infisical_client_secret_id; docs/DEPLOY.md)");
        }
        byte[] digest = sha256(secret);
        if (refusedSecret != null && MessageDigest.isEqual(digest, refusedSecret)
                && now.isBefore(refusedAt.plus(REFUSED_FOR))) {
            throw new SourceException("the client secret of machine identity " + clientId + " in OCI Vault is the one "
                    + "infisical at " + http.base() + " refused (Invalid credentials) less than " + REFUSED_FOR.toMinutes()
                    + " minutes ago; it is not sent again until it changes in OCI Vault");
        }
        InfisicalHttp.Answer a = http.send("POST", "/api/v1/auth/universal-auth/login",
                Map.of("clientId", clientId, "clientSecret", secret), null, deadline, "logging in");
        if (!a.ok()) {
            if (a.status() == 401) {
                failedAt = now;
                failure = "HTTP 401: " + a.message();
                if ("Invalid credentials".equals(a.message())) {
                    refusedSecret = digest;
                    refusedAt = now;
                }
            }
            throw new SourceException("infisical at " + http.base() + " refused the login of machine identity "
                    + clientId + " (HTTP " + a.status() + ": " + a.message() + ")"
                    + (a.status() == 401 ? "; the client secret is read afresh from OCI Vault for the next login, "
                            + "no sooner than " + AFTER_FAILURE.toSeconds() + " s from now" : ""));
        }
        refusedSecret = null;
        refusedAt = null;
        failedAt = null;
        failure = null;
        accept(a.body(), true);
        return token;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
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
