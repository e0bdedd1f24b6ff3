package ocivaultsync.config;

import java.util.List;

/**
 * The configuration is invalid. Each error names its field path ({@code syncs[1].options.keySchema: ...}); none
 * carries a secret value.
 */
public class ConfigException extends RuntimeException {

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("; ", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public ConfigException(String error) {
        this(List.of(error));
    }

    List<String> errors() {
        return errors;
    }
}
