package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.config.ConfigSecretReader;
import ocivaultsync.config.SecretRef;

/**
 * Resolves secret material: {@code {secretId: ...}} through the Secrets API, {@code {value: ...}} as given. Also reads
 * the configuration document behind {@code OVS_CONFIG_SECRET_ID}.
 *
 * <p>A secret read is kept for a bounded time ({@code ovs.secret-cache-ttl}) and then read again, so a secret changed
 * in OCI Vault reaches every warm container, not only the one an OCI event happens to reach; a caller whose secret was
 * refused (a login, a signature) drops its copy at once ({@link #invalidate}) or reads past it ({@link #readAfresh}).
 */
public final class SecretResolver implements ConfigSecretReader {

    /** A referenced secret could not be read; the message names the secret and OCI's code, never a value. */
    public static class UnreadableSecretException extends RuntimeException {
        UnreadableSecretException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The versions of a secret that may be in use during a rotation: the CURRENT one, when it became a version, and
     * the PREVIOUS one, if the secret has been rotated. Never printed.
     */
    public record Rotation(String current, Instant currentSince, Optional<String> previous) {
        @Override
        public String toString() {
            return "Rotation[***, since " + currentSince + ", previous " + previous.isPresent() + "]";
        }
    }

    /** The bound used when none is configured: that of {@code ovs.secret-cache-ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private record Cached(String value, Instant readAt) {
    }

    private final OciClients clients;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SecretResolver(OciClients clients) {
        this(clients, DEFAULT_TTL, Clock.systemUTC());
    }

    /** @param ttl how long a secret read is used before it is read again */
    public SecretResolver(OciClients clients, Duration ttl, Clock clock) {
        this.clients = clients;
        this.ttl = ttl;
        this.clock = clock;
    }

    public String resolve(SecretRef ref) {
        if (ref instanceof SecretRef.Inline inline) {
            return inline.value();
        }
        return read(((SecretRef.VaultSecret) ref).secretId());
    }

    /** As {@link #resolve}, past any cached copy: for a use where a stale value costs something (a login). */
    public String resolveAfresh(SecretRef ref) {
        if (ref instanceof SecretRef.Inline inline) {
            return inline.value();
        }
        return readAfresh(((SecretRef.VaultSecret) ref).secretId());
    }

    @Override
    public String read(String secretId) {
        Instant now = clock.instant();
        Cached c = cache.get(secretId);
        if (c != null && now.isBefore(c.readAt().plus(ttl))) {
            return c.value();
        }
        String value = fetch(secretId);
        cache.put(secretId, new Cached(value, now));
        return value;
    }

    /** Reads the secret from OCI now, and keeps that copy. */
    public String readAfresh(String secretId) {
        invalidate(secretId);
        return read(secretId);
    }

    /** Forgets a cached secret (its value changed: an OCI event on it, a rotation, or a refusal). */
    public void invalidate(String secretId) {
        cache.remove(secretId);
    }

    /**
     * The CURRENT and PREVIOUS versions of a secret, read from OCI now ({@code GetSecretBundle} with {@code stage};
     * OCI answers 404 for PREVIOUS until the secret has been rotated once). Not cached here: its callers keep what they
     * read for the same bounded time.
     */
    public Rotation readRotation(String secretId) {
        String region = regionOf(secretId);
        SecretBundle current;
        try {
            current = BundleReader.read(clients.secrets(region), secretId, GetSecretBundleRequest.Stage.Current);
        } catch (BmcException e) {
            throw unreadable(secretId, OciErrors.classify(e).describe());
        }
        String value = content(secretId, current);
        Optional<String> previous;
        try {
            previous = Optional.of(content(secretId, BundleReader.read(clients.secrets(region), secretId,
                    GetSecretBundleRequest.Stage.Previous)));
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                throw unreadable(secretId, OciErrors.classify(e).describe());
            }
            previous = Optional.empty();
        }
        Instant since = current.getTimeCreated() == null ? Instant.EPOCH : current.getTimeCreated().toInstant();
        cache.put(secretId, new Cached(value, clock.instant()));
        return new Rotation(value, since, previous);
    }

    /**
     * The vault of a secret, read from its metadata; empty when OCI answers 404, which for the function means the
     * secret is not in a vault it may manage (its grant on a control vault is {@code read secret-bundles} only).
     */
    public Optional<String> vaultOf(String secretId) {
        try {
            return Optional.of(clients.vaults(regionOf(secretId)).getSecret(GetSecretRequest.builder()
                    .secretId(secretId).build()).getSecret().getVaultId());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new UnreadableSecretException("secret " + secretId + " cannot be looked up: "
                    + OciErrors.classify(e).describe());
        } catch (RuntimeException e) {
            throw unexpected(secretId, e);
        }
    }

    private String fetch(String secretId) {
        try {
            return BundleReader.readCurrent(clients.secrets(regionOf(secretId)), secretId).utf8();
        } catch (BmcException e) {
            throw unreadable(secretId, OciErrors.classify(e).describe());
        } catch (BundleReader.UnexpectedContentException e) {
            throw unreadable(secretId, e.getMessage());
        } catch (RuntimeException e) {
            throw unexpected(secretId, e);
        }
    }

    private static String content(String secretId, SecretBundle bundle) {
        try {
            return BundleReader.content(bundle).utf8();
        } catch (BundleReader.UnexpectedContentException e) {
            throw unreadable(secretId, e.getMessage());
        }
    }

    /**
     * Anything else the SDK throws (an IllegalArgumentException over a malformed OCID, say), by its type only: its
     * message could quote anything, and this one is shown in reports and refusals.
     */
    static UnreadableSecretException unexpected(String secretId, RuntimeException e) {
        if (e instanceof UnreadableSecretException u) {
            return u;
        }
        return unreadable(secretId, e instanceof OciSetupException ? e.getMessage()
                : "unexpected " + e.getClass().getName());
    }

    private static UnreadableSecretException unreadable(String secretId, String why) {
        return new UnreadableSecretException("secret " + secretId + " cannot be read: " + why);
    }

    /** A vault secret OCID names its region ({@code ocid1.vaultsecret.oc1.<region>.<id>}); else the function's. */
    private String regionOf(String secretId) {
        String[] parts = secretId.split("\\.");
        if (parts.length >= 5 && !parts[3].isEmpty()) {
            return parts[3];
        }
        return clients.defaultRegion().orElse(null);
    }
}
