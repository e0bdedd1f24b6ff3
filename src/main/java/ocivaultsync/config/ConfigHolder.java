package ocivaultsync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

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
    private final Function<String, Optional<String>> vaultOfSecret;
    private final boolean allowSharedVault;
    private Optional<String> configVault;
    private final Map<String, Optional<String>> referencedVaults = new ConcurrentHashMap<>();
    private SyncConfig cached;
    private Instant loadedAt;
    private FileTime fileTime;

    /**
     * @param forgetSecret     drops the secret reader's cached copy of the configuration secret before a re-read
     * @param vaultOfSecret    the vault of a secret, when the function may see its metadata (it may for the secrets
     *                         of the vaults it writes to, and not for those of a control vault it can only read);
     *                         throws a RuntimeException naming the secret when OCI cannot tell
     * @param allowSharedVault accept a configuration secret in a vault a sync writes to
     */
    public ConfigHolder(ConfigLoader.Location location, ConfigParser parser, ConfigSecretReader secrets,
            Runnable forgetSecret, Duration ttl, Clock clock, Function<String, Optional<String>> vaultOfSecret,
            boolean allowSharedVault) {
        this.location = location;
        this.loader = new ConfigLoader(parser, secrets);
        this.forgetSecret = forgetSecret;
        this.ttl = ttl;
        this.clock = clock;
        this.vaultOfSecret = vaultOfSecret;
        this.allowSharedVault = allowSharedVault;
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
        refuseSharedVault(loaded);
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

    /**
     * A sync manages every secret of its destination vault that fits its key schema, and the function's grant there is
     * {@code manage secret-family}: a configuration kept in that vault could be rewritten or deleted by the function
     * itself, or by anyone who can write to the vault a sync fills. The same holds for every secret the configuration
     * references (the fingerprint key, the Infisical client secrets, the webhook signing keys), and more: a reference
     * to a secret of a destination vault would have the function read, and send to Infisical as a client secret, a
     * secret it only manages. The function's own secrets belong in a control vault it can only read (README, "The
     * control vault"); there, OCI answers 404 to the function's metadata read, which is how such a secret is told
     * apart.
     */
    private void refuseSharedVault(SyncConfig loaded) {
        if (allowSharedVault) {
            return;
        }
        Map<String, String> written = new LinkedHashMap<>();
        for (SyncDefinition s : loaded.syncs()) {
            written.putIfAbsent(s.destination().vaultId(), s.name());
        }
        if (location.secretId().isPresent()) {
            String secretId = location.secretId().get();
            if (configVault == null) {
                try {
                    configVault = vaultOfSecret.apply(secretId);
                } catch (RuntimeException e) { // the oci adapter's UnreadableSecretException: names the secret only
                    // Not cached: the check runs again on the next call, so a passing outage heals by itself.
                    throw new ConfigException("the vault of the configuration secret " + secretId + " cannot be "
                            + "checked (" + e.getMessage() + "); every call is refused until it can be, or until "
                            + "ovs.allow-shared-vault=true");
                }
            }
            if (configVault.isPresent() && written.containsKey(configVault.get())) {
                throw new ConfigException("the configuration secret " + secretId + " lives in vault "
                        + configVault.get() + ", which sync " + written.get(configVault.get()) + " writes to; keep the "
                        + "function's own secrets in a separate control vault, or set ovs.allow-shared-vault=true to "
                        + "accept that a writer of that vault can change the configuration");
            }
        }
        List<String> errors = new ArrayList<>();
        referenced(loaded).forEach((field, secretId) -> {
            Optional<String> vault = vaultOf(field, secretId);
            if (vault.isPresent() && written.containsKey(vault.get())) {
                errors.add(field + ": the secret " + secretId + " lives in vault " + vault.get() + ", which sync "
                        + written.get(vault.get()) + " writes to; keep the function's own secrets in a separate "
                        + "control vault, or set ovs.allow-shared-vault=true to accept that a writer of that vault can "
                        + "change them and that the configuration can make the function read that vault's secrets");
            }
        });
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    /** Every OCI Vault secret the configuration references, by the field that names it. */
    private static Map<String, String> referenced(SyncConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (c.fingerprintKey() instanceof SecretRef.VaultSecret v) {
            out.put("fingerprintKey", v.secretId());
        }
        for (int i = 0; i < c.syncs().size(); i++) {
            if (c.syncs().get(i).source() instanceof InfisicalSourceConfig inf) {
                if (inf.auth() != null && inf.auth().clientSecret() instanceof SecretRef.VaultSecret v) {
                    out.put("syncs[" + i + "].source.auth.clientSecret", v.secretId());
                }
                if (inf.webhookSigningKey().orElse(null) instanceof SecretRef.VaultSecret k) {
                    out.put("syncs[" + i + "].source.webhookSigningKey", k.secretId());
                }
            }
        }
        return out;
    }

    /**
     * The vault of a referenced secret: read once per container (a secret never moves to another vault), except when
     * it cannot be told, which refuses the configuration until it can.
     */
    private Optional<String> vaultOf(String field, String secretId) {
        Optional<String> known = referencedVaults.get(secretId);
        if (known != null) {
            return known;
        }
        try {
            Optional<String> vault = vaultOfSecret.apply(secretId);
            referencedVaults.put(secretId, vault);
            return vault;
        } catch (RuntimeException e) { // the oci adapter's UnreadableSecretException: names the secret only
            throw new ConfigException(field + ": the vault of the secret " + secretId + " cannot be checked ("
                    + e.getMessage() + "); every call is refused until it can be, or until "
                    + "ovs.allow-shared-vault=true");
        }
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
