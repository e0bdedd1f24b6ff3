package ocivaultsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code source} section of a sync, for {@link ConfigParser}: which kind of source, and its fields. It reads
 * through the parser's field walker, so its errors name their field paths and unknown fields are errors as
 * everywhere else.
 */
final class SourceParser {

    private static final Pattern ENVIRONMENT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private SourceParser() {
    }

    static SourceConfig source(ConfigParser.Obj o, InfisicalHosts hosts) {
        String type = o.string("type", true);
        if (type == null) {
            return null; // without a type, every other field would read as unknown
        }
        SourceConfig source;
        switch (type) {
            case "infisical" -> source = infisical(o, hosts);
            case "file" -> source = file(o);
            default -> {
                o.error("type", "must be one of infisical, file");
                return null;
            }
        }
        o.finish();
        return source;
    }

    private static InfisicalSourceConfig infisical(ConfigParser.Obj o, InfisicalHosts hosts) {
        URI url = InfisicalSourceConfig.DEFAULT_URL;
        String urlText = o.string("url", false);
        if (urlText != null) {
            url = url(o, urlText);
        }
        if (url != null && url.getHost() != null) {
            hosts.refusal(url).ifPresent(why -> o.error("url", why));
        }
        String projectId = o.string("projectId", true);
        if (projectId != null && (projectId.isBlank() || projectId.chars().anyMatch(Character::isWhitespace))) {
            o.error("projectId", "must be a project id without spaces");
        }
        String environment = environment(o, o.string("environment", true));
        String secretPath = o.string("secretPath", false);
        if (secretPath == null) {
            secretPath = "/";
        } else if (!secretPath.startsWith("/")) {
            o.error("secretPath", "must be an absolute folder path such as / or /app");
        } else if (secretPath.length() > 1 && secretPath.endsWith("/")) {
            secretPath = secretPath.substring(0, secretPath.length() - 1);
        }
        boolean recursive = o.bool("recursive", false);
        boolean includeImports = o.bool("includeImports", true);
        InfisicalSourceConfig.InfisicalAuth auth = null;
        ConfigParser.Obj a = o.object("auth", true);
        if (a != null) {
            String clientId = a.string("clientId", true);
            if (clientId != null && clientId.isBlank()) {
                a.error("clientId", "must not be empty");
            }
            SecretRef clientSecret = a.secretRef("clientSecret", true);
            a.finish();
            auth = new InfisicalSourceConfig.InfisicalAuth(clientId, clientSecret);
        }
        Optional<SecretRef> signing = Optional.ofNullable(o.secretRef("webhookSigningKey", false));
        if (signing.orElse(null) instanceof SecretRef.Inline inline && inline.value().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length < InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES) {
            o.error("webhookSigningKey.value", "must be at least " + InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES
                    + " bytes: a shorter key could be guessed from the answers to signed requests");
        }
        return new InfisicalSourceConfig(url, projectId, environment, secretPath, recursive, includeImports, auth,
                signing);
    }

    private static URI url(ConfigParser.Obj o, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = uri.getHost() != null && LOOPBACK.contains(uri.getHost());
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
                o.error("url", "must be an https URL such as https://app.infisical.com (plain http only for localhost)");
                return null;
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                o.error("url", "must not carry a query, fragment or credentials");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            o.error("url", "is not a valid URL");
            return null;
        }
    }

    private static FileSourceConfig file(ConfigParser.Obj o) {
        String path = o.string("path", true);
        if (path != null && path.isBlank()) {
            o.error("path", "must not be empty");
        }
        String env = o.string("environment", false);
        env = env == null ? FileSourceConfig.DEFAULT_ENVIRONMENT : environment(o, env);
        return new FileSourceConfig(path, env);
    }

    private static String environment(ConfigParser.Obj o, String env) {
        if (env != null && !ENVIRONMENT.matcher(env).matches()) {
            o.error("environment", "must be an environment slug of letters, digits, '-', '_' and '.' (it can appear"
                    + " in secret names), at most 64 characters");
        }
        return env;
    }
}
