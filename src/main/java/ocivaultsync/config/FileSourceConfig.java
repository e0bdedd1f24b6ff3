package ocivaultsync.config;

/**
 * A local file of secrets, YAML (a map of key to value) or {@code .env}, for local runs and tests. Import
 * behaviours write back into it.
 */
public record FileSourceConfig(String path, String environment) implements SourceConfig {

    static final String DEFAULT_ENVIRONMENT = "local";

    @Override
    public String describe() {
        return "file " + path;
    }
}
