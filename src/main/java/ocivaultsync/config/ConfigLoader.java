package ocivaultsync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the configuration document: exactly one of {@code OVS_CONFIG} (inline YAML/JSON), {@code OVS_CONFIG_FILE}
 * (a path) or {@code OVS_CONFIG_SECRET_ID} (an OCI Vault secret, so Terraform can manage it and it stays out of
 * function config, which OCI caps at 4 KB).
 */
public final class ConfigLoader {

    /** Where the document is, as the environment says. */
    public record Location(Optional<String> inline, Optional<String> file, Optional<String> secretId) {

        public static Location of(String inline, String file, String secretId) {
            return new Location(present(inline), present(file), present(secretId));
        }

        private static Optional<String> present(String v) {
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
        }
    }

    private final ConfigParser parser;
    private final ConfigSecretReader secrets;

    ConfigLoader(ConfigParser parser, ConfigSecretReader secrets) {
        this.parser = parser;
        this.secrets = secrets;
    }

    /** Reads and validates the configuration. */
    SyncConfig load(Location where) {
        return parser.parse(text(where));
    }

    /** The raw document; the one setting must be there, alone. */
    public String text(Location where) {
        List<String> set = new ArrayList<>();
        where.inline().ifPresent(v -> set.add("OVS_CONFIG"));
        where.file().ifPresent(v -> set.add("OVS_CONFIG_FILE"));
        where.secretId().ifPresent(v -> set.add("OVS_CONFIG_SECRET_ID"));
        if (set.size() != 1) {
            throw new ConfigException("configuration: set exactly one of OVS_CONFIG, OVS_CONFIG_FILE or "
                    + "OVS_CONFIG_SECRET_ID (" + (set.isEmpty() ? "none is set" : String.join(" and ", set)
                    + " are set") + ")");
        }
        if (where.inline().isPresent()) {
            return where.inline().get();
        }
        if (where.file().isPresent()) {
            Path path = Path.of(where.file().get());
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException("OVS_CONFIG_FILE: " + path + " does not exist");
            } catch (IOException e) {
                throw new ConfigException("OVS_CONFIG_FILE: " + path + " cannot be read (" + e.getClass().getSimpleName()
                        + ")");
            }
        }
        String id = where.secretId().get();
        if (!Ocids.isOcid(id, Set.of("vaultsecret"))) {
            throw new ConfigException("OVS_CONFIG_SECRET_ID: must be a vault secret OCID "
                    + "(ocid1.vaultsecret.<realm>.<region>.<id>)");
        }
        return secrets.read(id);
    }
}
