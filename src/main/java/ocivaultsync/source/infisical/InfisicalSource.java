package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;

/**
 * One sync's Infisical folder (or folder tree).
 *
 * <p>Precedence when imports are on: the folder's own secrets win over imported ones; among imports, the later one in
 * Infisical's list wins (Infisical's own rule: the list is walked from last to first and a key is taken once). With
 * {@code recursive}, two folders holding one key are both kept, so that key fails (a name collision) while the rest
 * proceed. Only {@code shared} secrets are synced; personal ones belong to a person, not to the environment.
 */
public final class InfisicalSource implements SecretSource {

    /** The placeholder Infisical sends instead of a value the identity may not read. */
    static final String HIDDEN = "<hidden-by-infisical>";
    static final int BATCH = 100;

    private final InfisicalSourceConfig config;
    private final InfisicalHttp http;
    private final TokenManager tokens;
    private final Supplier<String> clientSecret;
    private final Instant deadline;
    private Set<String> ownKeys = Set.of();

    InfisicalSource(InfisicalSourceConfig config, InfisicalHttp http, TokenManager tokens,
            Supplier<String> clientSecret, Instant deadline) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        this.clientSecret = clientSecret;
        this.deadline = deadline;
    }

    private String where() {
        return "project " + config.projectId() + " environment " + config.environment() + " path "
                + config.secretPath();
    }

    @Override
    public SourceSnapshot fetch() {
        String query = "/api/v4/secrets?projectId=" + enc(config.projectId()) + "&environment="
                + enc(config.environment()) + "&secretPath=" + enc(config.secretPath()) + "&recursive="
                + config.recursive() + "&include_imports=" + config.includeImports()
                + "&expandSecretReferences=true&viewSecretValue=true";
        InfisicalHttp.Answer a = authorized("GET", query, null, "listing the secrets of " + where());
        if (!a.ok()) {
            throw new SourceException(refusal(a, "listing the secrets of"));
        }
        JsonNode body = a.body();
        if (body == null || !body.has("secrets") || !body.get("secrets").isArray()) {
            throw new SourceException("infisical answered the list of " + where() + " without a secrets array");
        }
        List<SourceSecret> own = new ArrayList<>();
        Set<String> ownKeySet = new HashSet<>();
        Set<String> rootKeys = new HashSet<>();
        int hidden = 0;
        for (JsonNode s : body.get("secrets")) {
            if ("personal".equals(s.path("type").asText("shared"))) {
                continue;
            }
            if (isHidden(s)) {
                hidden++;
                continue;
            }
            String path = s.hasNonNull("secretPath") ? s.get("secretPath").asText() : config.secretPath();
            String key = s.path("secretKey").asText();
            own.add(secret(s, path));
            ownKeySet.add(key);
            if (path.equals(config.secretPath())) {
                rootKeys.add(key);
            }
        }
        Map<String, SourceSecret> imported = new LinkedHashMap<>();
        if (config.includeImports() && body.has("imports")) {
            List<JsonNode> imports = new ArrayList<>();
            body.get("imports").forEach(imports::add);
            for (int i = imports.size() - 1; i >= 0; i--) {
                JsonNode imp = imports.get(i);
                if (!imp.has("secrets") || !imp.get("secrets").isArray()) {
                    throw new SourceException("infisical answered an import of " + where() + " ("
                            + imp.path("environment").asText("?") + " " + imp.path("secretPath").asText("?")
                            + ") without its secrets; nothing is synced from a partial source");
                }
                String origin = "import " + imp.path("environment").asText() + ":" + imp.path("secretPath").asText();
                for (JsonNode s : imp.get("secrets")) {
                    if ("personal".equals(s.path("type").asText("shared"))) {
                        continue;
                    }
                    if (isHidden(s)) {
                        hidden++;
                        continue;
                    }
                    String key = s.path("secretKey").asText();
                    if (!ownKeySet.contains(key) && !imported.containsKey(key)) {
                        imported.put(key, secret(s, origin));
                    }
                }
            }
        }
        if (hidden > 0) {
            throw new SourceException("infisical returned " + hidden + " hidden value(s) for " + where()
                    + "; nothing is synced from placeholders: give the machine identity read access to secret values");
        }
        this.ownKeys = Set.copyOf(rootKeys);
        List<SourceSecret> all = new ArrayList<>(own);
        all.addAll(imported.values());
        return new SourceSnapshot(all);
    }

    private static boolean isHidden(JsonNode s) {
        return s.path("secretValueHidden").asBoolean(false) || HIDDEN.equals(s.path("secretValue").asText());
    }

    private static SourceSecret secret(JsonNode s, String origin) {
        String version = s.hasNonNull("version") ? s.get("version").asText() : null;
        String value = s.hasNonNull("secretValue") ? s.get("secretValue").asText() : "";
        return new SourceSecret(s.path("secretKey").asText(), SecretValue.ofUtf8(value), origin, version);
    }

    /**
     * Imports into the folder: keys the folder lacks are created ({@code POST /api/v4/secrets/batch}), keys it has are
     * overwritten ({@code PATCH} with {@code mode=upsert}). Infisical trims the values it stores.
     */
    @Override
    public Map<String, Outcome> write(Map<String, SecretValue> values) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        List<String> create = new ArrayList<>();
        List<String> upsert = new ArrayList<>();
        for (String key : values.keySet()) {
            (ownKeys.contains(key) ? upsert : create).add(key);
        }
        for (int i = 0; i < create.size(); i += BATCH) {
            batch("POST", create.subList(i, Math.min(create.size(), i + BATCH)), values, out);
        }
        for (int i = 0; i < upsert.size(); i += BATCH) {
            batch("PATCH", upsert.subList(i, Math.min(upsert.size(), i + BATCH)), values, out);
        }
        return out;
    }

    private void batch(String method, List<String> keys, Map<String, SecretValue> values, Map<String, Outcome> out) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", config.projectId());
        body.put("environment", config.environment());
        body.put("secretPath", config.secretPath());
        if (method.equals("PATCH")) {
            body.put("mode", "upsert");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (String k : keys) {
            items.add(Map.of("secretKey", k, "secretValue", values.get(k).utf8()));
        }
        body.put("secrets", items);
        InfisicalHttp.Answer a;
        try {
            a = authorized(method, "/api/v4/secrets/batch", body, "importing into " + where());
        } catch (SourceException e) {
            keys.forEach(k -> out.put(k, Outcome.failed(e.getMessage())));
            return;
        }
        if (a.ok() && a.body() != null && a.body().has("approval")) {
            String id = a.body().get("approval").path("id").asText("");
            keys.forEach(k -> out.put(k, Outcome.blocked("a change-approval policy holds the import for review"
                    + (id.isEmpty() ? "" : " (approval " + id + ")"))));
        } else if (a.ok()) {
            keys.forEach(k -> out.put(k, Outcome.DONE));
        } else if (keys.size() > 1 && a.status() >= 400 && a.status() < 500) {
            // One bad key must not fail the others: retry this batch one key at a time.
            for (String k : keys) {
                batch(method, List.of(k), values, out);
            }
        } else {
            String why = redact(refusal(a, "importing into"), keys, values);
            keys.forEach(k -> out.put(k, Outcome.failed(why)));
        }
    }

    private static String redact(String text, List<String> keys, Map<String, SecretValue> values) {
        String out = text;
        for (String k : keys) {
            out = values.get(k).redactFrom(out);
        }
        return out;
    }

    /** Sends with the cached token; a 401 means the token went stale: log in again, once. */
    private InfisicalHttp.Answer authorized(String method, String path, Object body, String what) {
        InfisicalHttp.Answer a = http.send(method, path, body, tokens.token(clientSecret, deadline), deadline, what);
        if (a.status() == 401) {
            tokens.invalidate();
            a = http.send(method, path, body, tokens.token(clientSecret, deadline), deadline, what);
        }
        return a;
    }

    private String refusal(InfisicalHttp.Answer a, String doing) {
        String hint = switch (a.status()) {
            case 401 -> "; the machine identity's login is not accepted";
            case 403 -> "; the machine identity lacks permission on this environment and path";
            case 404 -> "; check the project id, the environment slug and the secret path";
            default -> "";
        };
        return "infisical answered HTTP " + a.status() + " when " + doing + " " + where() + " (" + a.message() + ")"
                + hint;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
