package ocivaultsync.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.oci.SecretResolver.Rotation;
import org.jboss.logging.Logger;

/**
 * The webhook signing keys kept in OCI Vault, by secret OCID, as both webhook paths check signatures against them
 * ({@link GatewayWebhook} and {@link InfisicalWebhookTrigger}).
 *
 * <ul>
 * <li>A rotation verifies on both sides: the CURRENT version of the secret, and the PREVIOUS one while the CURRENT
 * version is younger than the rotation grace ({@code ovs.webhook-key-rotation-grace}), the time it takes to give
 * Infisical the new key.</li>
 * <li>A key is read again after a bounded time ({@code ovs.secret-cache-ttl}), and at once when a signature matches
 * none of the keys held (the key may have been rotated since it was read); a forged request must not cost reads, so a
 * key is read that way at most once per {@link #REREAD_AT_MOST_EVERY}, and a key that could not be read is not asked
 * for again for {@link #UNREADABLE_FOR}.</li>
 * <li>A key shorter than {@link InfisicalSourceConfig#MIN_WEBHOOK_KEY_BYTES} bytes verifies nothing.</li>
 * </ul>
 */
public final class SigningKeys {

    /** Its messages belong with the webhook refusals. */
    private static final Logger LOG = Logger.getLogger(GatewayWebhook.class);
    /** A signing key that could not be read is not asked for again this long. */
    static final Duration UNREADABLE_FOR = Duration.ofSeconds(60);
    /** A signature no key matched reads a key again at most this often. */
    static final Duration REREAD_AT_MOST_EVERY = Duration.ofSeconds(10);

    /**
     * The keys a signature may match.
     *
     * @param usable   CURRENT, and PREVIOUS within the grace; never a key that is too short
     * @param tooShort whether a version was left out for being shorter than the minimum
     */
    record Keys(List<String> usable, boolean tooShort) {
        static final Keys NONE = new Keys(List.of(), false);

        @Override
        public String toString() {
            return "Keys[" + usable.size() + " usable, tooShort=" + tooShort + "]";
        }
    }

    private record Entry(Keys keys, Instant readAt) {
    }

    private final Function<String, Rotation> read;
    private final Duration ttl;
    private final Duration grace;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Instant> unreadableUntil = new ConcurrentHashMap<>();

    /**
     * @param read  reads the CURRENT and PREVIOUS versions of a secret from OCI
     * @param ttl   how long a key read is used
     * @param grace how long after a rotation the PREVIOUS version still verifies
     */
    public SigningKeys(Function<String, Rotation> read, Duration ttl, Duration grace, Clock clock) {
        this.read = read;
        this.ttl = ttl;
        this.grace = grace;
        this.clock = clock;
    }

    /** Over a plain secret reader that knows no versions: the key read is its only version. */
    public static SigningKeys current(Function<String, String> readSecret, Duration ttl, Clock clock) {
        return new SigningKeys(id -> new Rotation(readSecret.apply(id), Instant.EPOCH, Optional.empty()), ttl,
                Duration.ZERO, clock);
    }

    /** The keys of a secret, read at most once per cache time; none when it cannot be read. */
    Keys keys(String secretId) {
        Instant now = clock.instant();
        Entry e = entries.get(secretId);
        if (e != null && now.isBefore(e.readAt().plus(ttl))) {
            return e.keys();
        }
        return readNow(secretId, now);
    }

    /**
     * A signature matched none of the keys held: reads the secret again, unless it was read less than
     * {@link #REREAD_AT_MOST_EVERY} ago. Answers whether it did.
     */
    boolean reread(String secretId) {
        Instant now = clock.instant();
        Entry e = entries.get(secretId);
        if (e != null && now.isBefore(e.readAt().plus(REREAD_AT_MOST_EVERY))) {
            return false;
        }
        Instant until = unreadableUntil.get(secretId);
        if (until != null && now.isBefore(until)) {
            return false;
        }
        readNow(secretId, now);
        return true;
    }

    /** Forgets what was read of a secret (an OCI event says it changed). */
    public void forget(String secretId) {
        entries.remove(secretId);
        unreadableUntil.remove(secretId);
    }

    private Keys readNow(String secretId, Instant now) {
        Instant until = unreadableUntil.get(secretId);
        if (until != null && now.isBefore(until)) {
            return Keys.NONE;
        }
        Rotation r;
        try {
            r = read.apply(secretId);
            if (r == null || r.current() == null) {
                throw new IllegalStateException("no key");
            }
        } catch (RuntimeException ex) {
            entries.remove(secretId);
            unreadableUntil.put(secretId, now.plus(UNREADABLE_FOR));
            LOG.warnf("webhook signing key %s cannot be read (%s); not asked for again for %d s", secretId,
                    ex.getClass().getSimpleName(), UNREADABLE_FOR.toSeconds());
            return Keys.NONE;
        }
        unreadableUntil.remove(secretId);
        List<String> versions = new ArrayList<>();
        versions.add(r.current());
        if (r.previous().isPresent() && now.isBefore(r.currentSince().plus(grace))) {
            versions.add(r.previous().get());
        }
        List<String> usable = new ArrayList<>();
        boolean tooShort = false;
        for (String k : versions) {
            if (k.getBytes(StandardCharsets.UTF_8).length < InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES) {
                tooShort = true;
            } else {
                usable.add(k);
            }
        }
        if (tooShort) {
            LOG.warnf("webhook signing key %s holds a key shorter than %d bytes, which verifies nothing; store a "
                    + "key of at least %d bytes there and in Infisical", secretId,
                    InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES, InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES);
        }
        Keys keys = new Keys(List.copyOf(usable), tooShort);
        entries.put(secretId, new Entry(keys, now));
        return keys;
    }
}
