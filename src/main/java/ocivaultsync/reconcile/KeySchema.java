package ocivaultsync.reconcile;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key schema (F4): a template such as {@code {{environment}}-{{secretKey}}} that turns a source key into an OCI
 * secret name, and tells which destination names a sync may manage.
 *
 * <p>Unlike Infisical's, it holds {@code {{secretKey}}} exactly once (Infisical's check only tests presence), renders
 * without HTML escaping, and allows only literal characters that are valid in OCI names, so a rendered name can be
 * matched and reversed without ambiguity.
 */
public final class KeySchema {

    static final String SECRET_KEY = "{{secretKey}}";
    public static final String ENVIRONMENT = "{{environment}}";
    static final int MAX_LENGTH = 255;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");

    private final String template;

    private KeySchema(String template) {
        this.template = template;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException with a message that completes "keySchema: ..."
     */
    public static KeySchema parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("must not be empty; leave keySchema out to use source keys as names");
        }
        if (template.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        int secretKeys = 0;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder literals = new StringBuilder();
        int last = 0;
        while (m.find()) {
            literals.append(template, last, m.start());
            last = m.end();
            String placeholder = m.group();
            if (placeholder.equals(SECRET_KEY)) {
                secretKeys++;
            } else if (!placeholder.equals(ENVIRONMENT)) {
                throw new IllegalArgumentException("unknown placeholder " + placeholder
                        + "; the placeholders are {{secretKey}} and {{environment}}");
            }
        }
        literals.append(template, last, template.length());
        if (secretKeys != 1) {
            throw new IllegalArgumentException("must contain {{secretKey}} exactly once");
        }
        String lit = literals.toString();
        if (!lit.isEmpty() && !VaultLimits.NAME_CHARS.matcher(lit).matches()) {
            throw new IllegalArgumentException("may only contain letters, digits, '-', '_' and '.' outside the "
                    + "placeholders {{secretKey}} and {{environment}} (OCI secret names allow nothing else)");
        }
        return new KeySchema(template);
    }

    /** The template as written. */
    public String template() {
        return template;
    }

    /** The secret name for a source key in an environment. */
    String render(String secretKey, String environment) {
        return withEnvironment(environment).replace(SECRET_KEY, secretKey);
    }

    /** Whether a destination name fits this schema for an environment (a non-empty key in the key's place). */
    public boolean matches(String name, String environment) {
        return reverse(name, environment).isPresent();
    }

    /**
     * Whether every name fits, in an environment: once {@code {{environment}}} is filled in, nothing but
     * {@code {{secretKey}}} is left, so the schema reaches every secret of the vault.
     */
    public boolean fitsEveryName(String environment) {
        String[] parts = splitAroundKey(environment);
        return parts[0].isEmpty() && parts[1].isEmpty();
    }

    /** The source key a destination name holds, or empty when the name does not fit (used for imports). */
    Optional<String> reverse(String name, String environment) {
        String[] parts = splitAroundKey(environment);
        String prefix = parts[0];
        String suffix = parts[1];
        if (name.length() <= prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return Optional.empty();
        }
        return Optional.of(name.substring(prefix.length(), name.length() - suffix.length()));
    }

    private String[] splitAroundKey(String environment) {
        String filled = withEnvironment(environment);
        int at = filled.indexOf(SECRET_KEY);
        return new String[] {filled.substring(0, at), filled.substring(at + SECRET_KEY.length())};
    }

    private String withEnvironment(String environment) {
        return template.replace(ENVIRONMENT, environment == null ? "" : environment);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySchema k && k.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
