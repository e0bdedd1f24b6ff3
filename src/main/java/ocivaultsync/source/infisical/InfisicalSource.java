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
import java.util.SortedSet;
import java.util.TreeSet;
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
final class InfisicalSource implements SecretSource {

    /** The placeholder Infisical sends instead of a value the identity may not read. */
    static final String HIDDEN = "<hidden-by-infisical>";
    static final int BATCH = 100;
    /** Separates a folder from a key in the dropped-secret check; neither can contain it. */
    private static final char SEP = 0;

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
        JsonNode body = list(true);
        if (config.recursive() || !imports(body).isEmpty()) {
            body = checkNothingDropped(body);
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
        List<JsonNode> imports = imports(body);
        for (int i = imports.size() - 1; i >= 0; i--) {
            JsonNode imp = imports.get(i);
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
        if (hidden > 0) {
            throw new SourceException("infisical returned " + hidden + " hidden value(s) for " + where()
                    + "; nothing is synced from placeholders: give the machine identity read access to secret values");
        }
        if (own.isEmpty() && imported.isEmpty() && count(body) == 0) {
            confirmFolderExists();
        }
        this.ownKeys = Set.copyOf(rootKeys);
        List<SourceSecret> all = new ArrayList<>(own);
        all.addAll(imported.values());
        return new SourceSnapshot(all);
    }

    /** One list call; {@code withValues=false} lists what the identity may see exists, values hidden. */
    private JsonNode list(boolean withValues) {
        // References are expanded only when asked (backend/src/server/routes/v4/secret-router.ts: the default of
        // expandSecretReferences is false); without it, literal ${...} text would be synced.
        String query = "/api/v4/secrets?projectId=" + enc(config.projectId()) + "&environment="
                + enc(config.environment()) + "&secretPath=" + enc(config.secretPath()) + "&recursive="
                + config.recursive() + "&include_imports=" + config.includeImports()
                + "&expandSecretReferences=" + withValues + "&viewSecretValue=" + withValues;
        String doing = withValues ? "listing the secrets of" : "listing the secret names of";
        InfisicalHttp.Answer a = authorized("GET", query, null, doing + " " + where());
        if (!a.ok()) {
            throw new SourceException(refusal(a, doing));
        }
        JsonNode body = a.body();
        if (body == null || !body.has("secrets") || !body.get("secrets").isArray()) {
            throw new SourceException("infisical answered the list of " + where() + " without a secrets array");
        }
        return body;
    }

    private List<JsonNode> imports(JsonNode body) {
        List<JsonNode> imports = new ArrayList<>();
        if (!config.includeImports() || !body.has("imports")) {
            return imports;
        }
        for (JsonNode imp : body.get("imports")) {
            if (!imp.has("secrets") || !imp.get("secrets").isArray()) {
                throw new SourceException("infisical answered an import of " + where() + " ("
                        + imp.path("environment").asText("?") + " " + imp.path("secretPath").asText("?")
                        + ") without its secrets; nothing is synced from a partial source");
            }
            imports.add(imp);
        }
        return imports;
    }

    private int count(JsonNode body) {
        int n = body.get("secrets").size();
        for (JsonNode imp : imports(body)) {
            n += imp.get("secrets").size();
        }
        return n;
    }

    /**
     * Older Infisical servers answer a list of a missing environment or folder with 200 and no secrets, exactly as
     * they answer an empty folder ({@code getSecrets} of
     * {@code backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts} once returned
     * {@code { secrets: [], imports: [] }} when the folder was not found); current ones answer 404
     * {@code SecretPathNotFound} ("Folder with path '…' in environment '…' was not found…", same function, both
     * recursive and not), which fails the read in {@link #list}. An empty answer is therefore trusted only once the
     * folders API confirms the folder: it answers 404 for an unknown environment and an empty list for a missing
     * parent path ({@code backend/src/services/secret-folder/secret-folder-service.ts}, {@code getFolders}).
     */
    private void confirmFolderExists() {
        String path = config.secretPath();
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int cut = trimmed.lastIndexOf('/');
        String parent = cut <= 0 ? "/" : trimmed.substring(0, cut);
        String name = trimmed.substring(cut + 1);
        // Older servers name the project workspaceId here; unknown query fields are ignored, so both are sent.
        String query = "/api/v1/folders?projectId=" + enc(config.projectId()) + "&workspaceId="
                + enc(config.projectId()) + "&environment=" + enc(config.environment()) + "&path=" + enc(parent);
        InfisicalHttp.Answer a = authorized("GET", query, null, "confirming the folder " + where());
        if (a.status() == 404) {
            throw new SourceException("infisical project " + config.projectId() + " has no environment "
                    + config.environment() + " (asked for path " + path + "): its empty answer is not trusted, "
                    + "nothing is synced and nothing is deleted; check the environment slug (" + a.message() + ")");
        }
        if (!a.ok()) {
            throw new SourceException(refusal(a, "confirming the folder of"));
        }
        if (name.isEmpty()) {
            return;
        }
        for (JsonNode f : a.body() == null ? List.<JsonNode>of() : a.body().path("folders")) {
            if (name.equals(f.path("name").asText())) {
                return;
            }
        }
        throw new SourceException("infisical project " + config.projectId() + " environment " + config.environment()
                + " has no folder " + path + ": its empty answer is not trusted, nothing is synced and nothing is "
                + "deleted; check the secret path");
    }

    /**
     * With {@code viewSecretValue=true} Infisical leaves out, without a word, the imported and sub-folder secrets the
     * identity may not read ({@code backend/src/services/secret-import/secret-import-fns.ts},
     * {@code fnSecretsV2FromImports}); a sync would then delete them. The names-only list still shows them, so any
     * name it has that the answer with values lacks fails the run, naming the folders; the values are listed once more
     * first, since a secret created between the two lists looks the same. Returns the answer to read.
     */
    private JsonNode checkNothingDropped(JsonNode withValues) {
        JsonNode names = list(false);
        SortedSet<String> folders = missing(withValues, names);
        JsonNode answer = withValues;
        if (!folders.isEmpty()) {
            // A secret created between the two lists looks dropped: read the values once more before judging.
            answer = list(true);
            folders = missing(answer, names);
        }
        if (!folders.isEmpty()) {
            throw new SourceException("infisical left out secrets the machine identity may not read, or changed "
                    + "during the read, in "
                    + String.join(", ", folders) + " (listed for " + where() + "); nothing is synced and nothing is "
                    + "deleted from a partial answer: give the machine identity read access to secret values there");
        }
        return answer;
    }

    /** The folders of the names that {@code names} lists and {@code withValues} lacks. */
    private SortedSet<String> missing(JsonNode withValues, JsonNode names) {
        SortedSet<String> folders = new TreeSet<>();
        Set<String> seen = keys(withValues);
        for (String k : keys(names)) {
            if (!seen.contains(k)) {
                folders.add(k.substring(0, k.indexOf(SEP)));
            }
        }
        return folders;
    }

    /** "folder SEP key" for each shared secret of an answer; folders as {@code env:path}. */
    private Set<String> keys(JsonNode body) {
        Set<String> out = new HashSet<>();
        for (JsonNode s : body.get("secrets")) {
            if (!"personal".equals(s.path("type").asText("shared"))) {
                String path = s.hasNonNull("secretPath") ? s.get("secretPath").asText() : config.secretPath();
                out.add(config.environment() + ":" + path + SEP + s.path("secretKey").asText());
            }
        }
        for (JsonNode imp : imports(body)) {
            String folder = imp.path("environment").asText() + ":" + imp.path("secretPath").asText();
            for (JsonNode s : imp.get("secrets")) {
                if (!"personal".equals(s.path("type").asText("shared"))) {
                    out.add(folder + SEP + s.path("secretKey").asText());
                }
            }
        }
        return out;
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
            // Redact the whole message first, then cut it: a cut could split a value and hide it from redaction.
            String said = InfisicalHttp.cut(redact(a.fullMessage(), keys, values));
            String why = refusal(a, "importing into", said);
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

    /**
     * Sends with the cached token; a refused token means it went stale: log in again, once. An expired token answers
     * 403 with {@code "error": "TokenError"}, a revoked or unknown one 401 ({@code backend/src/server/plugins/auth/
     * inject-identity.ts}, {@code backend/src/server/plugins/error-handler.ts}).
     */
    private InfisicalHttp.Answer authorized(String method, String path, Object body, String what) {
        String token = tokens.token(clientSecret, deadline);
        InfisicalHttp.Answer a = http.send(method, path, body, token, deadline, what);
        if (tokenRefused(a)) {
            tokens.invalidate(token);
            a = http.send(method, path, body, tokens.token(clientSecret, deadline), deadline, what);
        }
        return a;
    }

    static boolean tokenRefused(InfisicalHttp.Answer a) {
        return a.status() == 401 || a.status() == 403 && a.body() != null
                && "TokenError".equals(a.body().path("error").asText());
    }

    private String refusal(InfisicalHttp.Answer a, String doing) {
        return refusal(a, doing, a.message());
    }

    private String refusal(InfisicalHttp.Answer a, String doing, String message) {
        if (a.status() == 404 && message.startsWith("Route ")) {
            // Fastify's own 404 for a route the server does not have: an Infisical older than the v4 secrets API.
            return "infisical at " + http.base() + " has no route for " + doing + " " + where() + " (" + message
                    + "); this product needs an Infisical with the v4 secrets API";
        }
        String hint = switch (a.status()) {
            case 401 -> "; the machine identity's login is not accepted";
            case 403 -> "; the machine identity lacks permission on this environment and path";
            case 404 -> "; check the project id, the environment slug and the secret path";
            default -> "";
        };
        return "infisical answered HTTP " + a.status() + " when " + doing + " " + where() + " (" + message + ")"
                + hint;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
