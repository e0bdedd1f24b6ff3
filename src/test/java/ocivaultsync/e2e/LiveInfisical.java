package ocivaultsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The suite's Infisical as a real server (docs/REAL-SERVICES.md, "A real Infisical server"): what
 * {@code src/test/infisical/infisical-live.sh up} started and described in its seed file (site URL, the instance
 * admin's token, the organization). Each instance makes a project of its own, with a {@code member} and a
 * {@code viewer} machine identity using Universal Auth, through Infisical's API as an administrator would; closing it
 * deletes them.
 *
 * <p>The product reaches the server through a recording proxy on loopback, which notes each call ({@link #requests()})
 * and the tokens the server handed out, so that {@link #revokeTokens()} can revoke them as
 * {@code POST /api/v1/auth/token/revoke} does.
 */
final class LiveInfisical implements InfisicalUnderTest {

    /** The system property naming the seed file written by infisical-live.sh. */
    static final String SEED_PROPERTY = "ovs.infisical.live";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** HTTP/1.1: the JDK client's h2c upgrade request with a body is refused by the server (a content-length error). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String site;
    private final String admin;
    private final String projectId;
    private final List<String> identityIds = new ArrayList<>();
    private final Identity writer;
    private final Identity viewer;
    private final HttpServer proxy;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    /** The folders made or seen so far (each test's project is its own, so none disappears). */
    private final java.util.Set<String> folders = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LiveInfisical() {
        try {
            JsonNode seed = JSON.readTree(Files.readString(Path.of(System.getProperty(SEED_PROPERTY))));
            site = seed.path("siteUrl").asText();
            admin = seed.path("adminToken").asText();
            String org = seed.path("organizationId").asText();
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            projectId = call("POST", "/api/v1/projects", Map.of("projectName", "ovs-suite-" + suffix, "slug",
                    "ovs-suite-" + suffix, "type", "secret-manager")).path("project").path("id").asText();
            writer = identity(org, "ovs-writer-" + suffix, "member");
            viewer = identity(org, "ovs-viewer-" + suffix, "viewer");
            proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            proxy.createContext("/", this::forward);
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Identity identity(String org, String name, String role) {
        String id = call("POST", "/api/v1/identities", Map.of("name", name, "organizationId", org, "role",
                "no-access")).path("identity").path("id").asText();
        identityIds.add(id);
        String clientId = call("POST", "/api/v1/auth/universal-auth/identities/" + id, Map.of())
                .path("identityUniversalAuth").path("clientId").asText();
        String secret = call("POST", "/api/v1/auth/universal-auth/identities/" + id + "/client-secrets",
                Map.of("description", "ovs suite")).path("clientSecret").asText();
        call("POST", "/api/v1/projects/" + projectId + "/memberships/identities/" + id,
                Map.of("roles", List.of(Map.of("role", role, "isTemporary", false))));
        return new Identity(clientId, secret);
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    @Override
    public String projectId() {
        return projectId;
    }

    @Override
    public Identity writer() {
        return writer;
    }

    @Override
    public Identity viewer() {
        return viewer;
    }

    @Override
    public InfisicalUnderTest put(String env, String path, String key, String value) {
        folder(env, path);
        Map<String, Object> body = Map.of("projectId", projectId, "environment", env, "secretPath", path,
                "secretValue", value);
        String at = "/api/v4/secrets/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        if (send("POST", at, body).statusCode() != 200) { // 400 when it exists: then it is an update
            call("PATCH", at, body);
        }
        return this;
    }

    @Override
    public InfisicalUnderTest remove(String env, String path, String key) {
        call("DELETE", "/api/v4/secrets/" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                Map.of("projectId", projectId, "environment", env, "secretPath", path));
        return this;
    }

    @Override
    public InfisicalUnderTest folder(String env, String path) {
        String parent = "/";
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            String at = parent.equals("/") ? "/" + name : parent + "/" + name;
            if (folders.add(env + ":" + at) && !folderNames(env, parent).contains(name)) {
                call("POST", "/api/v2/folders", Map.of("projectId", projectId, "environment", env, "name", name,
                        "path", parent));
            }
            parent = at;
        }
        return this;
    }

    private List<String> folderNames(String env, String parent) {
        List<String> names = new ArrayList<>();
        call("GET", "/api/v1/folders?workspaceId=" + projectId + "&environment=" + env + "&path="
                + URLEncoder.encode(parent, StandardCharsets.UTF_8), null).path("folders")
                .forEach(f -> names.add(f.path("name").asText()));
        return names;
    }

    @Override
    public InfisicalUnderTest importFolder(String env, String path, String fromEnv, String fromPath) {
        folder(env, path);
        folder(fromEnv, fromPath);
        call("POST", "/api/v2/secret-imports", Map.of("projectId", projectId, "environment", env, "path", path,
                "import", Map.of("environment", fromEnv, "path", fromPath)));
        return this;
    }

    @Override
    public Map<String, String> values(String env, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        call("GET", "/api/v4/secrets?projectId=" + projectId + "&environment=" + env + "&secretPath="
                + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&include_imports=false", null).path("secrets")
                .forEach(s -> {
                    if (s.path("type").asText().equals("shared")) {
                        out.put(s.path("secretKey").asText(), s.path("secretValue").asText());
                    }
                });
        return out;
    }

    @Override
    public void webhook(String env, String pathGlob, String url, String signingKey) {
        call("POST", "/api/v1/webhooks", Map.of("projectId", projectId, "environment", env, "webhookUrl", url,
                "webhookSecretKey", signingKey, "secretPath", pathGlob));
    }

    @Override
    public Duration webhookLag() {
        return Duration.ofSeconds(15);
    }

    @Override
    public void revokeTokens() {
        for (String token : List.copyOf(tokens)) {
            call("POST", "/api/v1/auth/token/revoke", Map.of("accessToken", token));
        }
    }

    @Override
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        proxy.stop(0);
        try {
            call("DELETE", "/api/v1/projects/" + projectId, null);
            for (String id : identityIds) {
                call("DELETE", "/api/v1/identities/" + id, null);
            }
        } catch (RuntimeException e) {
            // Left behind in the throwaway server: harmless.
        }
    }

    /** An administrator's call; anything but 200 fails the test with the server's answer. */
    private JsonNode call(String method, String path, Object body) {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        try {
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(site + path)).timeout(Duration.ofSeconds(30))
                    .header("authorization", "Bearer " + admin);
            if (body == null) {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                req.header("content-type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The proxy: the product's call, passed on as it came, and the answer passed back. */
    private void forward(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        requests.add(method + " " + ex.getRequestURI().getPath());
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(site + ex.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("authorization", "content-type", "accept")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                req.header(h, v);
            }
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
            ex.close();
            return;
        }
        if (r.statusCode() == 200 && (ex.getRequestURI().getPath().equals("/api/v1/auth/universal-auth/login")
                || ex.getRequestURI().getPath().equals("/api/v1/auth/token/renew"))) {
            JsonNode answer = JSON.readTree(r.body());
            if (answer instanceof ObjectNode o && o.path("accessToken").isTextual()) {
                tokens.add(o.path("accessToken").asText());
            }
        }
        r.headers().firstValue("content-type").ifPresent(v -> ex.getResponseHeaders().add("content-type", v));
        r.headers().firstValue("retry-after").ifPresent(v -> ex.getResponseHeaders().add("retry-after", v));
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            ex.getResponseBody().write(r.body());
        }
        ex.close();
    }
}
