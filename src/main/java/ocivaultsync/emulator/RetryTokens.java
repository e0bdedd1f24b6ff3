package ocivaultsync.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The opc-retry-token of CreateSecret: for 24 hours a retried create with the same token and body answers with the
 * secret the first one made, and the same token with another body is refused. Used under the vault's lock.
 */
final class RetryTokens {

    private static final Duration TTL = Duration.ofHours(24);

    private record Seen(String requestHash, String secretId, Instant at) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** The id of the secret an earlier create under {@code token} made, or null when there is none to replay. */
    String replayed(String token, String requestHash, Instant now) {
        Seen s = token == null ? null : seen.get(token);
        if (s == null || !s.at().plus(TTL).isAfter(now)) {
            return null;
        }
        if (!s.requestHash().equals(requestHash)) {
            throw OciError.invalidatedRetryToken();
        }
        return s.secretId();
    }

    void remember(String token, String requestHash, String secretId, Instant now) {
        if (token != null) {
            seen.put(token, new Seen(requestHash, secretId, now));
        }
    }

    void clear() {
        seen.clear();
    }
}
