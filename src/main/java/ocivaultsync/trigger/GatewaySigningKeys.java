package ocivaultsync.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The webhook signing keys {@link GatewayWebhook} checks signatures against, read by secret OCID from the setting
 * {@code ovs.webhook-key-secret-ids}. A forged request must not cost reads: a key that could not be read is not asked
 * for again for a while; and a key is read afresh now and then, so a rotated key that no sync's configuration names
 * (so no OCI event on it drops it) is picked up (see README, "Triggers: how each one reaches the function").
 */
final class GatewaySigningKeys {

    /** Its messages belong with the gateway's refusals. */
    private static final Logger LOG = Logger.getLogger(GatewayWebhook.class);
    /** A signing key that could not be read is not asked for again this long. */
    static final Duration UNREADABLE_FOR = Duration.ofSeconds(60);
    /** A signing key is read again after this long. */
    static final Duration KEY_TTL = Duration.ofMinutes(15);

    private final Function<String, String> readSecret;
    private final Consumer<String> forgetSecret;
    private final Clock clock;
    private final Map<String, Instant> unreadableUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> readAt = new ConcurrentHashMap<>();

    /**
     * @param readSecret   reads a secret by OCID (cached per container)
     * @param forgetSecret drops {@code readSecret}'s cached copy of a secret
     */
    GatewaySigningKeys(Function<String, String> readSecret, Consumer<String> forgetSecret, Clock clock) {
        this.readSecret = readSecret;
        this.forgetSecret = forgetSecret;
        this.clock = clock;
    }

    /**
     * The signing key, read at most once per {@link #KEY_TTL}; null when it cannot be read, and then not asked for
     * again for {@link #UNREADABLE_FOR}.
     */
    String key(String keyId) {
        Instant now = clock.instant();
        Instant until = unreadableUntil.get(keyId);
        if (until != null && now.isBefore(until)) {
            return null;
        }
        Instant at = readAt.get(keyId);
        if (at != null && !now.isBefore(at.plus(KEY_TTL))) {
            forgetSecret.accept(keyId);
            readAt.remove(keyId);
        }
        try {
            String key = readSecret.apply(keyId);
            unreadableUntil.remove(keyId);
            readAt.putIfAbsent(keyId, now);
            return key;
        } catch (RuntimeException e) {
            unreadableUntil.put(keyId, now.plus(UNREADABLE_FOR));
            LOG.warnf("webhook signing key %s cannot be read (%s); not asked for again for %d s", keyId,
                    e.getClass().getSimpleName(), UNREADABLE_FOR.toSeconds());
            return null;
        }
    }
}
