package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, honest stand-in for Infisical's API as the reference describes it (infisical-api.md): universal-auth
 * login and renew, the v4 list (imports, recursive folders, references already expanded, hidden values, personal
 * secrets), batch create and upsert (values trimmed, change-approval answers), 401 for a stale token and 429 with
 * Infisical's message. It stores what it is given and answers what Infisical would.
 */
public final class InfisicalTestServer implements AutoCloseable {

    /** A stored secret. */
    public record Secret(String key, String value, int version, String type, boolean hidden) {
    }

    private record Token(String clientId, Instant expiresAt, Instant maxUntil) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Map<String, Secret>> folders = new ConcurrentHashMap<>();
    private final Map<String, List<String[]>> imports = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> approvalEnvironments = Collections.synchronizedSet(new HashSet<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttle = new AtomicInteger();
    private volatile int throttleSeconds = 1;
    private volatile long expiresIn = 600;
    private volatile long maxTtl = 3600;
    private final Clock clock;

    public InfisicalTestServer() throws IOException {
        this(Clock.systemUTC());
    }

    /** A server whose notion of time is {@code clock} (share it with the client to move both). */
    public InfisicalTestServer(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- fixture setup ----

    public InfisicalTestServer identity(String clientId, String clientSecret) {
        identities.put(clientId, clientSecret);
        return this;
    }

    public InfisicalTestServer put(String project, String env, String path, String key, String value) {
        folder(project, env, path).merge(key, new Secret(key, value, 1, "shared", false),
                (old, neu) -> new Secret(key, value, old.version() + 1, "shared", false));
        return this;
    }

    public InfisicalTestServer remove(String project, String env, String path, String key) {
        folder(project, env, path).remove(key);
        return this;
    }

    public InfisicalTestServer putPersonal(String project, String env, String path, String key, String value) {
        folder(project, env, path).put(key + "#personal", new Secret(key, value, 1, "personal", false));
        return this;
    }

    public InfisicalTestServer putHidden(String project, String env, String path, String key) {
        folder(project, env, path).put(key, new Secret(key, "real-value", 1, "shared", true));
        return this;
    }

    /** {@code path} of {@code env} imports {@code fromPath} of {@code fromEnv}, after its earlier imports. */
    public InfisicalTestServer importFolder(String project, String env, String path, String fromEnv, String fromPath) {
        imports.computeIfAbsent(project + "|" + env + "|" + path, k -> new ArrayList<>())
                .add(new String[] {fromEnv, fromPath});
        return this;
    }

    public InfisicalTestServer requireApproval(String env) {
        approvalEnvironments.add(env);
        return this;
    }

    public InfisicalTestServer tokenLifetimes(long expiresInSeconds, long maxTtlSeconds) {
        this.expiresIn = expiresInSeconds;
        this.maxTtl = maxTtlSeconds;
        return this;
    }

    /** The next {@code n} list calls answer 429 asking to wait {@code seconds}. */
    public void throttleNext(int n, int seconds) {
        throttleSeconds = seconds;
        throttle.set(n);
    }

    /** Invalidates every token, as a revoked or rotated identity would. */
    public void revokeTokens() {
        tokens.clear();
    }

    public Map<String, String> values(String project, String env, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        folder(project, env, path).values().stream().filter(s -> s.type().equals("shared"))
                .forEach(s -> out.put(s.key(), s.value()));
        return out;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    private Map<String, Secret> folder(String project, String env, String path) {
        return folders.computeIfAbsent(project + "|" + env + "|" + path, k -> new ConcurrentHashMap<>());
    }

    private Instant now() {
        return clock.instant();
    }

    // ---- the API ----

    private void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            requests.add(method + " " + path);
            JsonNode body = ex.getRequestBody().available() >= 0 ? readBody(ex) : null;
            if (method.equals("POST") && path.equals("/api/v1/auth/universal-auth/login")) {
                login(ex, body);
            } else if (method.equals("POST") && path.equals("/api/v1/auth/token/renew")) {
                renew(ex, body);
            } else if (!authorized(ex)) {
                error(ex, 401, "Token has expired or is invalid", "UnauthorizedError");
            } else if (method.equals("GET") && path.equals("/api/v4/secrets")) {
                list(ex, query(ex));
            } else if (path.equals("/api/v4/secrets/batch") && (method.equals("POST") || method.equals("PATCH"))) {
                batch(ex, method, body);
            } else {
                error(ex, 404, "Route not found", "NotFound");
            }
        } catch (RuntimeException e) {
            error(ex, 500, "Something went wrong", "InternalServerError");
        }
    }

    private void login(HttpExchange ex, JsonNode b) throws IOException {
        String id = b.path("clientId").asText();
        if (!identities.containsKey(id) || !identities.get(id).equals(b.path("clientSecret").asText())) {
            error(ex, 401, "Invalid credentials", "UnauthorizedError");
            return;
        }
        String token = "tok-" + UUID.randomUUID();
        tokens.put(token, new Token(id, now().plusSeconds(expiresIn), now().plusSeconds(maxTtl)));
        send(ex, 200, tokenBody(token, expiresIn));
    }

    private void renew(HttpExchange ex, JsonNode b) throws IOException {
        String token = b.path("accessToken").asText();
        Token t = tokens.get(token);
        if (t == null || now().isAfter(t.expiresAt()) || !now().isBefore(t.maxUntil())) {
            error(ex, 401, "Token cannot be renewed", "UnauthorizedError");
            return;
        }
        Instant until = now().plusSeconds(expiresIn);
        if (until.isAfter(t.maxUntil())) {
            until = t.maxUntil();
        }
        tokens.put(token, new Token(t.clientId(), until, t.maxUntil()));
        send(ex, 200, tokenBody(token, Duration.between(now(), until).toSeconds()));
    }

    private Map<String, Object> tokenBody(String token, long seconds) {
        return Map.of("accessToken", token, "expiresIn", seconds, "accessTokenMaxTTL", maxTtl, "tokenType", "Bearer");
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        Token t = tokens.get(h.substring(7));
        return t != null && now().isBefore(t.expiresAt());
    }

    private void list(HttpExchange ex, Map<String, String> q) throws IOException {
        if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(ex, 429, "Rate limit exceeded. Please try again in " + throttleSeconds + " seconds",
                    "TooManyRequests");
            return;
        }
        String project = q.get("projectId");
        String env = q.get("environment");
        String path = q.getOrDefault("secretPath", "/");
        boolean recursive = "true".equals(q.get("recursive"));
        boolean withImports = "true".equals(q.get("include_imports"));
        if (folders.keySet().stream().noneMatch(k -> k.startsWith(project + "|" + env + "|"))) {
            error(ex, 404, "Environment with slug '" + env + "' in project with ID " + project + " not found",
                    "NotFound");
            return;
        }
        List<Map<String, Object>> secrets = new ArrayList<>();
        folders.forEach((k, v) -> {
            String[] parts = k.split("\\|", 3);
            String p = parts[2];
            boolean match = p.equals(path) || recursive && (path.equals("/") ? !p.equals("/")
                    : p.startsWith(path + "/"));
            if (parts[0].equals(project) && parts[1].equals(env) && match) {
                v.values().forEach(s -> secrets.add(json(s, project, env, recursive ? p : null)));
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secrets", secrets);
        if (withImports) {
            List<Map<String, Object>> imps = new ArrayList<>();
            for (String[] imp : imports.getOrDefault(project + "|" + env + "|" + path, List.of())) {
                List<Map<String, Object>> is = new ArrayList<>();
                folder(project, imp[0], imp[1]).values().forEach(s -> is.add(json(s, project, imp[0], null)));
                imps.add(Map.of("secretPath", imp[1], "environment", imp[0], "folderId", "f-" + imp[1],
                        "secrets", is));
            }
            out.put("imports", imps);
        }
        send(ex, 200, out);
    }

    private static Map<String, Object> json(Secret s, String project, String env, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "id-" + s.key());
        m.put("_id", "id-" + s.key());
        m.put("workspace", project);
        m.put("environment", env);
        m.put("version", s.version());
        m.put("type", s.type());
        m.put("secretKey", s.key());
        m.put("secretValue", s.hidden() ? InfisicalSource.HIDDEN : s.value());
        m.put("secretValueHidden", s.hidden());
        m.put("secretComment", "");
        if (path != null) {
            m.put("secretPath", path);
        }
        m.put("tags", List.of());
        m.put("secretMetadata", List.of());
        return m;
    }

    private void batch(HttpExchange ex, String method, JsonNode b) throws IOException {
        String project = b.path("projectId").asText();
        String env = b.path("environment").asText();
        String path = b.path("secretPath").asText("/");
        if (approvalEnvironments.contains(env)) {
            send(ex, 200, Map.of("approval", Map.of("id", "appr-1", "status", "open", "slug", "change-request")));
            return;
        }
        Map<String, Secret> folder = folder(project, env, path);
        List<Map<String, Object>> written = new ArrayList<>();
        Map<String, String> incoming = new LinkedHashMap<>();
        for (JsonNode s : b.path("secrets")) {
            String key = s.path("secretKey").asText();
            if (key.isEmpty() || key.contains(" ")) {
                error(ex, 400, "Secret key is invalid", "BadRequest");
                return;
            }
            incoming.put(key, s.path("secretValue").asText());
        }
        for (var e : incoming.entrySet()) {
            if (method.equals("POST") && folder.containsKey(e.getKey())) {
                error(ex, 400, "Secret already exist", "BadRequest");
                return;
            }
            if (method.equals("PATCH") && !b.path("mode").asText().equals("upsert") && !folder.containsKey(e.getKey())) {
                error(ex, 404, "Secret not found", "NotFound");
                return;
            }
        }
        for (var e : incoming.entrySet()) {
            // Infisical trims what it stores, keeping one trailing newline (infisical-api.md, gotcha b).
            String v = e.getValue().strip() + (e.getValue().endsWith("\n") ? "\n" : "");
            Secret old = folder.get(e.getKey());
            Secret s = new Secret(e.getKey(), v, old == null ? 1 : old.version() + 1, "shared", false);
            folder.put(e.getKey(), s);
            written.add(json(s, project, env, null));
        }
        send(ex, 200, Map.of("secrets", written));
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] b = ex.getRequestBody().readAllBytes();
        return b.length == 0 ? JSON.createObjectNode() : JSON.readTree(b);
    }

    private static void error(HttpExchange ex, int status, String message, String error) throws IOException {
        send(ex, status, Map.of("statusCode", status, "message", message, "error", error));
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("content-type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
