package ocivaultsync.trigger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Infisical webhook signatures (F16): {@code x-infisical-signature: t=<epoch ms>;<hex HMAC-SHA256 of the raw body>}.
 * The HMAC covers the exact bytes received, compared in constant time; the timestamp must be within ±5 minutes and
 * equal the body's (required: the HMAC covers the body only, not the header's {@code t=}, so only the signed
 * timestamp in the body ties a signature to a time; without it an old body could be replayed under a fresh header); a
 * signature already accepted in this container is refused as a replay. Another container does not know what this one
 * accepted, so it may accept a replay within the window: that is harmless, a run is idempotent (see
 * docs/ARCHITECTURE.md, "Triggers: how each one reaches the function").
 */
public final class WebhookVerifier {

    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Pattern HEADER = Pattern.compile("^t=(\\d{1,16});([0-9a-fA-F]{64})$");

    /** A parsed signature header. */
    public record Signature(long timestampMillis, String hex) {
    }

    private final Clock clock;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    public WebhookVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Parses and checks the header's freshness, then that the body's timestamp is the signed one.
     *
     * @throws RequestException BAD_SIGNATURE
     */
    public Signature parse(String header, Long bodyTimestamp) {
        Signature sig = parseHeader(header);
        checkBodyTimestamp(sig, bodyTimestamp);
        return sig;
    }

    /**
     * The header's presence, shape and freshness: all a caller can be refused for before its body is even parsed.
     *
     * @throws RequestException BAD_SIGNATURE
     */
    Signature parseHeader(String header) {
        if (header == null || header.isBlank()) {
            throw bad("x-infisical-signature is missing; webhooks are never run unsigned");
        }
        Matcher m = HEADER.matcher(header.trim());
        if (!m.matches()) {
            throw bad("x-infisical-signature must be t=<timestamp>;<hex HMAC-SHA256>");
        }
        long t = Long.parseLong(m.group(1));
        Duration skew = Duration.between(Instant.ofEpochMilli(t), clock.instant()).abs();
        if (skew.compareTo(WINDOW) > 0) {
            throw bad("the webhook's timestamp is outside the ±5 minute window");
        }
        return new Signature(t, m.group(2).toLowerCase());
    }

    /** @throws RequestException BAD_SIGNATURE unless the body carries the signed timestamp */
    static void checkBodyTimestamp(Signature sig, Long bodyTimestamp) {
        if (bodyTimestamp == null) {
            throw bad("the body has no timestamp; Infisical signs one into every webhook");
        }
        if (bodyTimestamp != sig.timestampMillis()) {
            throw bad("the signed timestamp does not match the body's timestamp");
        }
    }

    /** Whether the signature is the HMAC of the raw body under {@code key}, compared in constant time. */
    public static boolean matches(Signature sig, byte[] rawBody, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(rawBody)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, sig.hex().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /**
     * Remembers an accepted signature for the window; a second delivery of the same one is refused.
     *
     * @throws RequestException BAD_SIGNATURE on a replay
     */
    public synchronized void accept(Signature sig) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
        if (seen.containsKey(sig.hex())) {
            throw bad("this webhook was already received (a replay)");
        }
        seen.put(sig.hex(), Instant.ofEpochMilli(sig.timestampMillis()).plus(WINDOW).plus(WINDOW));
    }

    private static RequestException bad(String message) {
        return new RequestException("BAD_SIGNATURE", message);
    }
}
