package ocivaultsync.function;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import ocivaultsync.config.ConfigLoader;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.ConfigSecretReader;
import ocivaultsync.config.SyncConfig;

/**
 * The current configuration. Inline configuration is parsed once; a file is re-read when it changes (edit it during
 * {@code quarkus:dev} and the next call sees it); a configuration kept in OCI Vault is cached for a while and dropped
 * at once when an OCI event says the secret changed. A configuration that fails validation is never cached, so fixing
 * it takes effect on the next call.
 */
public final class ConfigHolder implements Supplier<SyncConfig>, ConfigControl {

    private final ConfigLoader.Location location;
    private final ConfigLoader loader;
    private final Runnable forgetSecret;
    private final Duration ttl;
    private final Clock clock;
    private SyncConfig cached;
    private Instant loadedAt;
    private FileTime fileTime;

    /**
     * @param forgetSecret drops the secret reader's cached copy of the configuration secret before a re-read
     */
    public ConfigHolder(ConfigLoader.Location location, ConfigParser parser, ConfigSecretReader secrets,
            Runnable forgetSecret, Duration ttl, Clock clock) {
        this.location = location;
        this.loader = new ConfigLoader(parser, secrets);
        this.forgetSecret = forgetSecret;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized SyncConfig get() {
        if (cached != null && fresh()) {
            return cached;
        }
        if (location.secretId().isPresent() && cached != null) {
            forgetSecret.run();
        }
        FileTime seen = fileTime();
        SyncConfig loaded = loader.load(location);
        cached = loaded;
        loadedAt = clock.instant();
        fileTime = seen;
        return loaded;
    }

    /** Forget the cached configuration (its OCI Vault secret changed). */
    @Override
    public synchronized void invalidate() {
        if (cached != null && location.secretId().isPresent()) {
            forgetSecret.run();
        }
        cached = null;
    }

    @Override
    public boolean isConfigSecret(String secretId) {
        return location.secretId().map(secretId::equals).orElse(false);
    }

    private boolean fresh() {
        if (location.inline().isPresent()) {
            return true;
        }
        if (location.file().isPresent()) {
            FileTime now = fileTime();
            return now != null && now.equals(fileTime);
        }
        return Duration.between(loadedAt, clock.instant()).compareTo(ttl) < 0;
    }

    private FileTime fileTime() {
        if (location.file().isEmpty()) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(Path.of(location.file().get()));
        } catch (IOException e) {
            return null;
        }
    }
}
