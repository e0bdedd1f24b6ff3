package ocivaultsync.source.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for Infisical's API that answers as the real server does, including where that is unkind to a client.
 * Each rule names the file of Infisical's backend ({@code github.com/Infisical/infisical}, {@code backend/src/…}) it
 * follows; docs/ASSUMPTIONS.md lists the ones no source settles.
 *
 * <ul>
 * <li>A missing environment or folder lists as 200 with no secrets (non-recursive), as older servers do; with
 * {@link #missingFolderAnswers404()} as current ones do: 404 {@code SecretPathNotFound}, recursive or not.</li>
 * <li>An expired token is 403 {@code TokenError}; a revoked or unknown one 401.</li>
 * <li>Renewal past creation + max TTL is refused and deletes the token; a renewal hands out a new token string.</li>
 * <li>With {@code viewSecretValue=true}: 403 for the requested folder when its values may not be read, imported and
 * sub-folder secrets that may not be read silently left out, and never a placeholder (unless
 * {@link #sendsPlaceholders()}). With {@code viewSecretValue=false} every value is masked.</li>
 * <li>References are expanded only when {@code expandSecretReferences=true} is sent.</li>
 * <li>Writes into a missing folder are 404; keys with {@code :} or {@code /} are 422 with an array message.</li>
 * <li>Login, lists and batch writes can all be throttled (429 with Infisical's message).</li>
 * <li>A viewer identity's writes are 403 {@code PermissionDenied}.</li>
 * <li>Webhooks: a change to a folder is posted, signed, to the project webhooks whose environment and path match it,
 * and then, a few seconds later, the webhook of every folder importing it (see {@link #webhook}).</li>
 * <li>Three wrong client secrets within 30 s of each other lock the identity for 300 s, as Infisical's default
 * lockout does.</li>
 * </ul>
 *
 * <p>Where server versions differ, the default is the older answer and a mode gives the current one
 * ({@link #missingFolderAnswers404()}, {@link #issuesTokensAsCurrentServers()}); the suite that runs against a real
 * server too ({@code ocivaultsync.e2e.InfisicalSuite}) uses the modes of the version it was checked with
 * (docs/ASSUMPTIONS.md, "Infisical").
 */
public final class InfisicalTestServer implements AutoCloseable {

    /** A stored secret. */
    public record Secret(String key, String value, int version, String type) {
    }

    /**
     * backend/src/services/identity-access-token/identity-access-token-service.ts: a token expires TTL after its
     * last renewal, and in any case (even with TTL 0) max TTL after its creation.
     */
    private record Token(String clientId, Instant createdAt, Instant renewedAt, long ttl, long maxTtl,
            Instant expiresAt) {
        Token(String clientId, Instant createdAt, Instant renewedAt, long ttl, long maxTtl) {
            this(clientId, createdAt, renewedAt, ttl, maxTtl, null);
        }

        boolean expired(Instant now) {
            if (expiresAt != null) {
                return now.isAfter(expiresAt); // current servers: the JWT's exp, set when it was issued
            }
            boolean pastTtl = ttl > 0 && now.isAfter((renewedAt == null ? createdAt : renewedAt)
                    .plusSeconds(Math.min(ttl, MAX_TTL)));
            return pastTtl || maxTtl > 0 && now.isAfter(createdAt.plusSeconds(Math.min(maxTtl, MAX_TTL)));
        }
    }

    private record Approval(String env, String path) {
    }

    /** A project webhook (backend/src/services/webhook/webhook-fns.ts). */
    private record Hook(String project, String env, String pathGlob, String url, String key) {
    }

    /** The lockout state Infisical keeps in its key store for one identity (IdentityLockoutState). */
    private record Lockout(int failures, boolean locked, Instant expiresAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** backend/src/services/secret-v2-bridge/secret-reference-fns.ts: the reference token pattern. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-zA-Z0-9-_.]+)}");
    /** backend/src/services/secret-import/secret-import-fns.ts (LEVEL_BREAK): nested imports stop at this depth. */
    private static final int IMPORT_DEPTH = 10;
    /**
     * The placeholder of a value the caller may not read: INFISICAL_SECRET_VALUE_HIDDEN_MASK of
     * backend/src/services/secret/secret-fns.ts.
     */
    private static final String HIDDEN = "<hidden-by-infisical>";
    /** backend/src/db/migrations/20250815022242_identity-lockouts.ts: the lockout defaults of an identity. */
    static final int LOCKOUT_THRESHOLD = 3;
    static final long LOCKOUT_SECONDS = 300;
    static final long LOCKOUT_COUNTER_RESET_SECONDS = 30;
    /** backend/src/server/routes/v1/identity-universal-auth-router.ts: TTL and max TTL are at most ten years. */
    private static final long MAX_TTL = 315_360_000L;
    /**
     * Current servers issue no token for longer than MAX_MACHINE_IDENTITY_TOKEN_AGE (backend/src/lib/config/env.ts,
     * 90 days by default): identity-access-token-fns.ts, computeIssuedTtl.
     */
    private static final long TOKEN_AGE_CEILING = 7_776_000L;
    /** backend/src/services/secret/secret-queue.ts: MAX_SYNC_SECRET_DEPTH, how far a change propagates to importers. */
    private static final int WEBHOOK_DEPTH = 5;

    private final HttpServer server;
    private final Map<String, Map<String, Secret>> folders = new ConcurrentHashMap<>();
    private final Set<String> environments = ConcurrentHashMap.newKeySet();
    private final Set<String> valuesDenied = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String[]>> imports = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> viewers = ConcurrentHashMap.newKeySet();
    private final List<Hook> hooks = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> pendingHooks = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService webhookSender;
    private volatile Duration folderWebhookDelay = Duration.ofSeconds(4);
    private volatile Duration importerWebhookDelay = Duration.ofSeconds(4);
    private volatile boolean currentTokens;
    private volatile boolean flattenNestedImports;
    private final Map<String, Lockout> lockouts = new ConcurrentHashMap<>();
    private final AtomicInteger failedLogins = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final List<Approval> approvals = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttle = new AtomicInteger();
    private volatile int throttleSeconds = 1;
    private volatile String retryAfterHeader;
    private volatile long expiresIn = 600;
    private volatile long maxTtl = 3600;
    private volatile String padding = "";
    private volatile boolean missingFolder404;
    private volatile boolean unknownEnvironmentFolders400;
    private volatile boolean placeholders;
    private volatile Runnable afterNextList;
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

    /** A machine identity with the project role viewer: it reads, and its writes are 403 PermissionDenied. */
    public InfisicalTestServer viewer(String clientId, String clientSecret) {
        identities.put(clientId, clientSecret);
        viewers.add(clientId);
        return this;
    }

    /**
     * A project webhook, as {@code POST /api/v1/webhooks} makes one: every change to a folder of {@code env} whose path
     * matches {@code pathGlob} ({@code /app}, {@code /app/**}, {@code /**}) is posted to {@code url} as
     * backend/src/services/webhook/webhook-fns.ts sends it (a {@code secrets.modified} body, signed
     * {@code t=<ms>;<hex HMAC-SHA256(key, body)>}), {@link #webhookDelays folder delay} after the change; the folders
     * importing the changed one get theirs the importer delay later (secret-queue.ts: a folder's sync job queues its
     * webhook and then syncs the folders importing it, each with the same delays, at most five levels deep). Changes
     * to a folder within the delay are sent once.
     */
    public InfisicalTestServer webhook(String project, String env, String pathGlob, String url, String key) {
        hooks.add(new Hook(project, env, pathGlob, url, key));
        return this;
    }

    /**
     * How long after a change its folder's webhook is sent, and how much later each importing folder's is. The
     * defaults are what the real server takes (secret-queue.ts: a 3 s debounce and a 1 s webhook delay, at each
     * level; measured with the server of docs/ASSUMPTIONS.md: 4 to 7 s, then about 4 s more).
     */
    public InfisicalTestServer webhookDelays(Duration folder, Duration importer) {
        this.folderWebhookDelay = folder;
        this.importerWebhookDelay = importer;
        return this;
    }

    /**
     * Tokens as current servers issue them (identity-access-token-fns.ts, computeIssuedTtl): a token's lifetime is
     * fixed when it is issued, the least of its TTL, what is left of its max TTL since the first login, and 90 days
     * (so a TTL of 0 no longer means "no expiry", and expiresIn says the lifetime); an expired token is 403
     * {@code TokenError} even when renewed, and a renewal with nothing left of the max TTL is 401. Without this, the
     * older rules: a TTL-0 token has no expiry of its own (expiresIn 0) and a renewal that would pass the max TTL is
     * refused.
     */
    public InfisicalTestServer issuesTokensAsCurrentServers() {
        currentTokens = true;
        return this;
    }

    /**
     * Nested imports as current servers answer them: flattened into the entry of the import that leads to them
     * (see {@link #flatImports}). Without this, as older servers did: one entry per imported folder, an import's own
     * imports listed before it.
     */
    public InfisicalTestServer flattensNestedImports() {
        flattenNestedImports = true;
        return this;
    }

    /** Creates an environment (and its root folder) with no secrets. */
    public InfisicalTestServer environment(String project, String env) {
        environments.add(project + "|" + env);
        folder(project, env, "/");
        return this;
    }

    /** Creates a folder (and its parents) with no secrets. */
    public InfisicalTestServer folderAt(String project, String env, String path) {
        folder(project, env, path);
        return this;
    }

    public InfisicalTestServer put(String project, String env, String path, String key, String value) {
        folder(project, env, path).merge(key, new Secret(key, value, 1, "shared"),
                (old, neu) -> new Secret(key, value, old.version() + 1, "shared"));
        changed(project, env, path);
        return this;
    }

    public InfisicalTestServer remove(String project, String env, String path, String key) {
        folder(project, env, path).remove(key);
        changed(project, env, path);
        return this;
    }

    public InfisicalTestServer putPersonal(String project, String env, String path, String key, String value) {
        folder(project, env, path).put(key + "#personal", new Secret(key, value, 1, "personal"));
        return this;
    }

    /** The machine identity may see that the folder's secrets exist but not read their values. */
    public InfisicalTestServer denyValues(String project, String env, String path) {
        folder(project, env, path);
        valuesDenied.add(project + "|" + env + "|" + path);
        return this;
    }

    /** {@code path} of {@code env} imports {@code fromPath} of {@code fromEnv}, after its earlier imports. */
    public InfisicalTestServer importFolder(String project, String env, String path, String fromEnv, String fromPath) {
        folder(project, env, path);
        imports.computeIfAbsent(project + "|" + env + "|" + path, k -> new ArrayList<>())
                .add(new String[] {fromEnv, fromPath});
        return this;
    }

    /** A change-approval policy on every path of {@code env}. */
    public InfisicalTestServer requireApproval(String env) {
        return requireApproval(env, "/**");
    }

    /** A change-approval policy on {@code env} for paths matching {@code pathGlob} ({@code /app}, {@code /app/**}). */
    public InfisicalTestServer requireApproval(String env, String pathGlob) {
        approvals.add(new Approval(env, pathGlob));
        return this;
    }

    /** Lifetimes of tokens handed out from now on; 0 means "no expiry" and "no max" as in Infisical. */
    public InfisicalTestServer tokenLifetimes(long expiresInSeconds, long maxTtlSeconds) {
        this.expiresIn = expiresInSeconds;
        this.maxTtl = maxTtlSeconds;
        return this;
    }

    /** The next {@code n} API calls (login, list or write) answer 429 asking to wait {@code seconds}. */
    public void throttleNext(int n, int seconds) {
        throttleNext(n, seconds, null);
    }

    /** As {@link #throttleNext(int, int)}, with a {@code Retry-After} header of exactly this text. */
    public void throttleNext(int n, int seconds, String retryAfter) {
        throttleSeconds = seconds;
        retryAfterHeader = retryAfter;
        throttle.set(n);
    }

    /**
     * The next {@code n} API calls answer 429 saying nothing of when to come back: no {@code Retry-After}, no "try
     * again in". Infisical's own limiter always says (rateLimiter.ts); this is what a proxy or load balancer in front
     * of it may answer, which the client meets with its own back-off.
     */
    public void throttleNextWithoutHint(int n) {
        throttleNext(n, -1, null);
    }

    /**
     * Lists of a missing environment or folder answer as current servers do:
     * backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts, getSecrets, throws NotFoundError named
     * SecretPathNotFound in both its recursive and non-recursive branch (error-handler.ts sends 404 with the name as
     * {@code error}). Without this, the older answer: 200 with nothing.
     */
    public InfisicalTestServer missingFolderAnswers404() {
        missingFolder404 = true;
        return this;
    }

    /**
     * The folders API answers 400 instead of 404 for an unknown environment: the code differs across server versions
     * (docs/ASSUMPTIONS.md, "Folders API"; the primary-source check of the folders service found 400 on some, the
     * live server answers 404). Either must fail the sync without trusting an empty list.
     */
    public InfisicalTestServer unknownEnvironmentInFoldersAnswers400() {
        unknownEnvironmentFolders400 = true;
        return this;
    }

    /**
     * Values the caller may not read are sent as the {@code <hidden-by-infisical>} placeholder with
     * {@code secretValueHidden: true} even when values are asked for, instead of a 403 or leaving them out: what
     * older or self-hosted servers built on decryptSecretRaw (backend/src/services/secret/secret-fns.ts) send for a
     * secret whose value is hidden. No current source settles when, so the client must refuse placeholders anyway.
     */
    public InfisicalTestServer sendsPlaceholders() {
        placeholders = true;
        return this;
    }

    /** Runs {@code change} right after the next list answer is sent (a change made while a client reads). */
    public void afterNextList(Runnable change) {
        afterNextList = change;
    }

    /** Pads every list answer with this many bytes of filler (an answer too large to read). */
    public void padListAnswers(int bytes) {
        padding = "x".repeat(bytes);
    }

    /** Revokes every token handed out so far (POST /api/v1/auth/token/revoke on each). */
    public void revokeTokens() {
        revoked.addAll(tokens.keySet());
        tokens.clear();
    }

    public Map<String, String> values(String project, String env, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        folders.getOrDefault(project + "|" + env + "|" + path, Map.of()).values().stream()
                .filter(s -> s.type().equals("shared")).forEach(s -> out.put(s.key(), s.value()));
        return out;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** A folder and its ancestors, as Infisical creates missing parents (secret-folder-service.ts, createFolder). */
    private Map<String, Secret> folder(String project, String env, String path) {
        environments.add(project + "|" + env);
        String p = path;
        while (!p.equals("/")) {
            p = p.substring(0, Math.max(1, p.lastIndexOf('/')));
            folders.computeIfAbsent(project + "|" + env + "|" + p, k -> new ConcurrentHashMap<>());
        }
        return folders.computeIfAbsent(project + "|" + env + "|" + path, k -> new ConcurrentHashMap<>());
    }

    private boolean folderExists(String project, String env, String path) {
        return folders.containsKey(project + "|" + env + "|" + path);
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
            JsonNode body = readBody(ex);
            // backend/src/server/config/rateLimiter.ts: login (writeLimit), secrets (secretsLimit) and writes are
            // all rate-limited; the message is the limiter's errorResponseBuilder text.
            if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (retryAfterHeader != null) {
                    ex.getResponseHeaders().add("retry-after", retryAfterHeader);
                }
                error(ex, 429, throttleSeconds < 0 ? "Too Many Requests"
                        : "Rate limit exceeded. Please try again in " + throttleSeconds + " seconds", "TooManyRequests");
                return;
            }
            if (method.equals("POST") && path.equals("/api/v1/auth/universal-auth/login")) {
                login(ex, body);
                return;
            }
            if (method.equals("POST") && path.equals("/api/v1/auth/token/renew")) {
                renew(ex, body);
                return;
            }
            boolean known = method.equals("GET") && (path.equals("/api/v4/secrets") || path.equals("/api/v1/folders"))
                    || path.equals("/api/v4/secrets/batch") && (method.equals("POST") || method.equals("PATCH"));
            if (!known) {
                // Fastify's default not-found answer (no such route on this server).
                error(ex, 404, "Route " + method + ":" + path + " not found", "Not Found");
                return;
            }
            String refused = refuseToken(ex);
            if (refused != null) {
                // backend/src/server/plugins/auth/inject-identity.ts and error-handler.ts: an expired token is a
                // TokenError (403); a revoked or unknown one is Unauthorized (401).
                // The texts are the real server's (docs/ASSUMPTIONS.md, "Infisical").
                if (refused.equals("expired")) {
                    error(ex, 403, "Your token has expired. Please re-authenticate.", "TokenError");
                } else if (refused.equals("revoked")) {
                    error(ex, 401, "Failed to authorize: token has been revoked", "UnauthorizedError");
                } else {
                    error(ex, 401, "Token missing", "UnauthorizedError");
                }
                return;
            }
            if (path.equals("/api/v4/secrets")) {
                list(ex, query(ex));
            } else if (path.equals("/api/v1/folders")) {
                listFolders(ex, query(ex));
            } else {
                Token caller = tokens.get(ex.getRequestHeaders().getFirst("authorization").substring(7));
                batch(ex, method, body, viewers.contains(caller.clientId()));
            }
        } catch (RuntimeException e) {
            error(ex, 500, "Something went wrong", "InternalServerError");
        }
    }

    /**
     * backend/src/services/identity-ua/identity-ua-service.ts, login: an unknown client id is 401 "Invalid
     * credentials" (no lockout counting: the identity is not known); a locked identity is 401 "This identity auth
     * method is temporarily locked, please try again later" whatever the secret; a wrong secret is 401 "Invalid
     * credentials" and counts a failure; a good one clears the count and gets a token with the identity's TTL and max
     * TTL. The lockout is on by default with the defaults of
     * backend/src/db/migrations/20250815022242_identity-lockouts.ts (3 failures, 300 s lock, a count that resets 30 s
     * after the last failure: the count is kept with an expiry set again on every failure).
     */
    private void login(HttpExchange ex, JsonNode b) throws IOException {
        String id = b.path("clientId").asText();
        logins.incrementAndGet();
        if (!identities.containsKey(id)) {
            error(ex, 401, "Invalid credentials", "UnauthorizedError");
            return;
        }
        Instant now = now();
        Lockout lock = lockouts.get(id);
        if (lock != null && !now.isBefore(lock.expiresAt())) {
            lockouts.remove(id);
            lock = null;
        }
        if (lock != null && lock.locked()) {
            error(ex, 401, "This identity auth method is temporarily locked, please try again later",
                    "UnauthorizedError");
            return;
        }
        if (!identities.get(id).equals(b.path("clientSecret").asText())) {
            failedLogins.incrementAndGet();
            int failures = (lock == null ? 0 : lock.failures()) + 1;
            boolean locked = failures >= LOCKOUT_THRESHOLD;
            lockouts.put(id, new Lockout(failures, locked, now.plusSeconds(locked ? LOCKOUT_SECONDS
                    : LOCKOUT_COUNTER_RESET_SECONDS)));
            error(ex, 401, "Invalid credentials", "UnauthorizedError");
            return;
        }
        lockouts.remove(id);
        String token = "tok-" + UUID.randomUUID();
        if (currentTokens) {
            long issued = issuedTtl(expiresIn, maxTtl, now(), now());
            tokens.put(token, new Token(id, now(), null, expiresIn, maxTtl, now().plusSeconds(issued)));
            send(ex, 200, tokenBody(token, issued, maxTtl));
            return;
        }
        tokens.put(token, new Token(id, now(), null, expiresIn, maxTtl));
        send(ex, 200, tokenBody(token, expiresIn, maxTtl));
    }

    /** identity-access-token-fns.ts, computeIssuedTtl: the least of the TTL, the max TTL left, and the ceiling. */
    private static long issuedTtl(long ttl, long maxTtl, Instant createdAt, Instant now) {
        long cap = ttl > 0 ? ttl : Long.MAX_VALUE;
        long left = maxTtl > 0 ? createdAt.plusSeconds(maxTtl).getEpochSecond() - now.getEpochSecond() : Long.MAX_VALUE;
        return Math.min(cap, Math.min(left, TOKEN_AGE_CEILING));
    }

    /** Whether the identity is locked out now. */
    public boolean locked(String clientId) {
        Lockout lock = lockouts.get(clientId);
        return lock != null && lock.locked() && now().isBefore(lock.expiresAt());
    }

    /** Logins answered "Invalid credentials" for a known identity (the failures Infisical counts). */
    public int failedLogins() {
        return failedLogins.get();
    }

    /** Every login request. */
    public int logins() {
        return logins.get();
    }

    /**
     * backend/src/services/identity-access-token/identity-access-token-service.ts, renewAccessToken: refused when the
     * token expired or when now + TTL would pass creation + max TTL, and the token is deleted either way.
     */
    private void renew(HttpExchange ex, JsonNode b) throws IOException {
        String token = b.path("accessToken").asText();
        Token t = tokens.get(token);
        Instant now = now();
        if (t == null) {
            error(ex, 401, "Cannot renew revoked or unknown access token", "UnauthorizedError");
            return;
        }
        if (currentTokens) {
            // identity-access-token-service.ts, renewAccessToken: the JWT check refuses an expired token first.
            if (t.expired(now)) {
                error(ex, 403, "Your token has expired. Please re-authenticate.", "TokenError");
                return;
            }
            long issued = issuedTtl(t.ttl(), t.maxTtl(), t.createdAt(), now);
            if (issued <= 0) {
                error(ex, 401, "Cannot renew: identity access token has reached its max TTL", "UnauthorizedError");
                return;
            }
            tokens.remove(token);
            String fresh = "tok-" + UUID.randomUUID();
            tokens.put(fresh, new Token(t.clientId(), t.createdAt(), now, t.ttl(), t.maxTtl(), now.plusSeconds(issued)));
            send(ex, 200, tokenBody(fresh, issued, t.maxTtl()));
            return;
        }
        if (t.expired(now)) {
            tokens.remove(token);
            error(ex, 401, "Failed to renew MI access token due to TTL expiration", "UnauthorizedError");
            return;
        }
        if (t.maxTtl() > 0 && now.plusSeconds(t.ttl()).isAfter(t.createdAt().plusSeconds(t.maxTtl()))) {
            tokens.remove(token);
            error(ex, 401, "Failed to renew MI access token past its Max TTL expiration", "UnauthorizedError");
            return;
        }
        // Newer servers sign a new token on renewal; the old string stops working.
        tokens.remove(token);
        String fresh = "tok-" + UUID.randomUUID();
        tokens.put(fresh, new Token(t.clientId(), t.createdAt(), now, t.ttl(), t.maxTtl()));
        send(ex, 200, tokenBody(fresh, t.ttl(), t.maxTtl()));
    }

    private static Map<String, Object> tokenBody(String token, long seconds, long max) {
        return Map.of("accessToken", token, "expiresIn", seconds, "accessTokenMaxTTL", max, "tokenType", "Bearer");
    }

    /** {@code null} when the token is good, else "expired", "revoked" or "unknown". */
    private String refuseToken(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return "unknown";
        }
        Token t = tokens.get(h.substring(7));
        if (t == null) {
            return revoked.contains(h.substring(7)) ? "revoked" : "unknown";
        }
        return t.expired(now()) ? "expired" : null;
    }

    /**
     * backend/src/server/routes/v4/secret-router.ts (list) over secret-v2-bridge-service.ts getSecrets: a missing
     * folder or (non-recursive) environment answers 200 with nothing as on older servers, or 404 SecretPathNotFound
     * as on current ones ({@link #missingFolderAnswers404()}); values the caller may not read are 403 for the
     * folder asked, left out for imports and sub-folders; references are expanded only on request.
     */
    private void list(HttpExchange ex, Map<String, String> q) throws IOException {
        String project = q.get("projectId");
        String env = q.get("environment");
        String path = q.getOrDefault("secretPath", "/");
        boolean recursive = "true".equals(q.get("recursive"));
        boolean withImports = "true".equals(q.get("include_imports"));
        boolean viewValues = !"false".equals(q.get("viewSecretValue"));
        boolean expand = "true".equals(q.get("expandSecretReferences"));
        if (missingFolder404 && recursive && !environments.contains(project + "|" + env)) {
            // The recursive branch looks the environment up first (seen on the server of docs/ASSUMPTIONS.md).
            error(ex, 404, "Environment with slug '" + env + "' in project with ID " + project + " not found",
                    "NotFound");
            return;
        }
        if (missingFolder404 && (!environments.contains(project + "|" + env) || !folderExists(project, env, path))) {
            error(ex, 404, "Folder with path '" + path + "' in environment '" + env + "' was not found. Please ensure "
                    + "the environment slug and secret path is correct.", "SecretPathNotFound");
            return;
        }
        if (!environments.contains(project + "|" + env)) {
            if (recursive) {
                error(ex, 404, "Environment with slug '" + env + "' in project with ID " + project + " not found",
                        "NotFound");
            } else {
                send(ex, 200, Map.of("secrets", List.of(), "imports", List.of()));
            }
            return;
        }
        if (!folderExists(project, env, path)) {
            send(ex, 200, Map.of("secrets", List.of(), "imports", List.of()));
            return;
        }
        if (viewValues && !placeholders && valuesDenied.contains(project + "|" + env + "|" + path)) {
            error(ex, 403, "You are not allowed to read secret values in environment " + env + " path " + path,
                    "PermissionDenied");
            return;
        }
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (String p : new TreeSet<>(folders.keySet())) {
            String[] parts = p.split("\\|", 3);
            String fp = parts[2];
            boolean match = fp.equals(path) || recursive && (path.equals("/") ? !fp.equals("/")
                    : fp.startsWith(path + "/"));
            if (!parts[0].equals(project) || !parts[1].equals(env) || !match) {
                continue;
            }
            boolean denied = valuesDenied.contains(p);
            if (denied && viewValues && !placeholders) {
                continue; // a sub-folder the caller may not read: silently left out
            }
            for (Secret s : folders.get(p).values()) {
                secrets.add(json(s, project, env, fp, denied || !viewValues ? HIDDEN
                        : value(s, project, env, fp, expand)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secrets", secrets);
        if (withImports) {
            List<Map<String, Object>> imps = new ArrayList<>();
            if (flattenNestedImports) {
                flatImports(project, env, path, viewValues, expand, imps);
            } else {
                collectImports(project, env, path, viewValues, expand, 1, new HashSet<>(), imps);
            }
            out.put("imports", imps);
        }
        if (!padding.isEmpty()) {
            out.put("padding", padding);
        }
        send(ex, 200, out);
        Runnable change = afterNextList;
        if (change != null) {
            afterNextList = null;
            change.run();
        }
    }

    /**
     * backend/src/services/secret-import/secret-import-fns.ts, fnSecretsV2FromImports: nested imports are followed
     * to a depth cap with a cycle check; an import's own imports come before it in the list, so that a client walking
     * the list from last to first (taking a key once) lets an imported folder's own secrets win over its imports.
     * Secrets the caller may not read are left out when values are asked for.
     */
    private void collectImports(String project, String env, String path, boolean viewValues, boolean expand,
            int depth, Set<String> visiting, List<Map<String, Object>> out) {
        if (depth > IMPORT_DEPTH || !visiting.add(env + "|" + path)) {
            return;
        }
        for (String[] imp : imports.getOrDefault(project + "|" + env + "|" + path, List.of())) {
            collectImports(project, imp[0], imp[1], viewValues, expand, depth + 1, visiting, out);
            List<Map<String, Object>> is = new ArrayList<>();
            boolean denied = valuesDenied.contains(project + "|" + imp[0] + "|" + imp[1]);
            if (!(denied && viewValues && !placeholders)) {
                for (Secret s : folders.getOrDefault(project + "|" + imp[0] + "|" + imp[1], Map.of()).values()) {
                    is.add(json(s, project, imp[0], imp[1], denied || !viewValues ? HIDDEN
                            : value(s, project, imp[0], imp[1], expand)));
                }
            }
            out.add(Map.of("secretPath", imp[1], "environment", imp[0], "folderId", "f-" + imp[0] + imp[1],
                    "secrets", is));
        }
        visiting.remove(env + "|" + path);
    }

    /**
     * Current servers (secret-import-fns.ts, fnSecretsV2FromImports, as of the server of docs/ASSUMPTIONS.md): one entry
     * per import of the folder; the secrets of an imported folder's own imports are appended to that entry, level by
     * level, after its own secrets, and a key already in the entry is not added again (seen on that server: an entry
     * holds secrets of several environments).
     */
    private void flatImports(String project, String env, String path, boolean viewValues, boolean expand,
            List<Map<String, Object>> out) {
        for (String[] top : imports.getOrDefault(project + "|" + env + "|" + path, List.of())) {
            List<Map<String, Object>> is = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            Set<String> seen = new HashSet<>(Set.of(env + "|" + path));
            List<String[]> level = List.<String[]>of(top);
            for (int depth = 1; depth <= IMPORT_DEPTH && !level.isEmpty(); depth++) {
                List<String[]> next = new ArrayList<>();
                for (String[] imp : level) {
                    if (!seen.add(imp[0] + "|" + imp[1])) {
                        continue;
                    }
                    boolean denied = valuesDenied.contains(project + "|" + imp[0] + "|" + imp[1]);
                    if (!(denied && viewValues && !placeholders)) {
                        for (Secret sec : new TreeMap<>(folders.getOrDefault(project + "|" + imp[0] + "|" + imp[1],
                                Map.<String, Secret>of())).values()) {
                            if (keys.add(sec.key())) {
                                is.add(json(sec, project, imp[0], imp[1], denied || !viewValues ? HIDDEN
                                        : value(sec, project, imp[0], imp[1], expand)));
                            }
                        }
                    }
                    next.addAll(imports.getOrDefault(project + "|" + imp[0] + "|" + imp[1], List.of()));
                }
                level = next;
            }
            out.add(Map.of("secretPath", top[1], "environment", top[0], "folderId", "f-" + top[0] + top[1],
                    "secrets", is));
        }
    }

    /** backend/src/services/secret-v2-bridge/secret-reference-fns.ts: ${KEY} and ${env.a.b.KEY}, when asked. */
    private String value(Secret s, String project, String env, String path, boolean expand) {
        if (!expand) {
            return s.value();
        }
        Matcher m = REFERENCE.matcher(s.value());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String[] ref = m.group(1).split("\\.");
            String refEnv = ref.length == 1 ? env : ref[0];
            String refPath = ref.length <= 2 ? (ref.length == 1 ? path : "/")
                    : "/" + String.join("/", List.of(ref).subList(1, ref.length - 1));
            Secret target = folders.getOrDefault(project + "|" + refEnv + "|" + refPath, Map.of())
                    .get(ref[ref.length - 1]);
            m.appendReplacement(sb, Matcher.quoteReplacement(target == null ? "" : target.value()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * backend/src/server/routes/v1/secret-folder-router.ts over secret-folder-service.ts getFolders: 404 for an
     * unknown environment, an empty list when the parent path does not exist, else the direct sub-folders.
     */
    private void listFolders(HttpExchange ex, Map<String, String> q) throws IOException {
        String project = q.containsKey("projectId") ? q.get("projectId") : q.get("workspaceId");
        String env = q.get("environment");
        String path = q.getOrDefault("path", "/");
        if (!environments.contains(project + "|" + env)) {
            if (unknownEnvironmentFolders400) {
                error(ex, 400, "Environment with slug '" + env + "' not found", "BadRequest");
            } else {
                error(ex, 404, "Environment with slug '" + env + "' not found", "NotFound");
            }
            return;
        }
        List<Map<String, Object>> children = new ArrayList<>();
        String prefix = project + "|" + env + "|" + (path.equals("/") ? "/" : path + "/");
        for (String k : new TreeSet<>(folders.keySet())) {
            if (k.startsWith(prefix) && k.length() > prefix.length() && k.indexOf('/', prefix.length()) < 0) {
                String name = k.substring(prefix.length());
                children.add(Map.of("id", "f-" + env + path + "/" + name, "name", name));
            }
        }
        send(ex, 200, Map.of("folders", children));
    }

    private static Map<String, Object> json(Secret s, String project, String env, String path, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        // Shape of reshapeBridgeSecret (backend/src/services/secret-v2-bridge/secret-v2-bridge-fns.ts).
        m.put("id", "id-" + s.key());
        m.put("_id", "id-" + s.key());
        m.put("workspace", project);
        m.put("environment", env);
        m.put("version", s.version());
        m.put("type", s.type());
        m.put("secretKey", s.key());
        m.put("secretValue", value);
        m.put("secretValueHidden", HIDDEN.equals(value));
        m.put("secretComment", "");
        // The v4 list names every item's folder (backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts,
        // getSecrets, adds secretPath to each).
        m.put("secretPath", path);
        m.put("tags", List.of());
        m.put("secretMetadata", List.of());
        return m;
    }

    /**
     * backend/src/server/routes/v4/secret-router.ts (batch create/update) over secret-v2-bridge-service.ts: keys are
     * validated first (422, issues as an array, error-handler.ts), a missing folder is 404, a change-approval policy
     * on the path answers {@code approval} instead of writing, values are trimmed.
     */
    private void batch(HttpExchange ex, String method, JsonNode b, boolean viewer) throws IOException {
        String project = b.path("projectId").asText();
        String env = b.path("environment").asText();
        String path = b.path("secretPath").asText("/");
        List<Map<String, Object>> issues = new ArrayList<>();
        int i = 0;
        for (JsonNode s : b.path("secrets")) {
            String key = s.path("secretKey").asText();
            // backend/src/server/lib/schemas.ts, SecretNameSchema: secret names may not contain ':' or '/'.
            if (key.contains(":") || key.contains("/")) {
                issues.add(Map.of("code", "custom", "message", "Secret name cannot contain colon or forward slash.",
                        "path", List.of("secrets", i, "secretKey")));
            }
            i++;
        }
        if (!issues.isEmpty()) {
            send(ex, 422, Map.of("statusCode", 422, "message", issues, "error", "ValidationFailure"));
            return;
        }
        if (viewer) {
            // The project role's permissions (backend/src/ee/services/permission/default-roles.ts: a viewer reads).
            send(ex, 403, Map.of("statusCode", 403, "message", "You are not allowed to create on secrets", "details",
                    List.of(), "error", "PermissionDenied"));
            return;
        }
        if (!environments.contains(project + "|" + env) || !folderExists(project, env, path)) {
            // The error's name is the operation's (seen on the server of docs/ASSUMPTIONS.md for a batch create).
            error(ex, 404, "Folder with path '" + path + "' in environment with slug '" + env + "' not found",
                    method.equals("POST") ? "CreateManySecret" : "NotFound");
            return;
        }
        if (approvals.stream().anyMatch(a -> a.env().equals(env) && glob(a.path(), path))) {
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
            // Infisical trims what it stores, keeping one trailing newline.
            String v = e.getValue().strip() + (e.getValue().endsWith("\n") ? "\n" : "");
            Secret old = folder.get(e.getKey());
            Secret s = new Secret(e.getKey(), v, old == null ? 1 : old.version() + 1, "shared");
            folder.put(e.getKey(), s);
            written.add(json(s, project, env, path, v));
        }
        send(ex, 200, Map.of("secrets", written));
        changed(project, env, path);
    }

    // ---- webhooks ----

    /** A folder's secrets changed: its webhook, then its importers', as the real server sends them. */
    private void changed(String project, String env, String path) {
        if (!hooks.isEmpty()) {
            scheduleWebhooks(project, env, path, folderWebhookDelay, 0, new HashSet<>());
        }
    }

    private void scheduleWebhooks(String project, String env, String path, Duration delay, int depth,
            Set<String> seen) {
        // secret-queue.ts: syncSecrets skips a folder already queued in this wave, and past MAX_SYNC_SECRET_DEPTH.
        if (depth > WEBHOOK_DEPTH || !seen.add(env + "|" + path)) {
            return;
        }
        String pending = project + "|" + env + "|" + path;
        if (!pendingHooks.add(pending)) {
            return; // the queued job's id is the folder's: a second change within the delay is sent with the first
        }
        sender().schedule(() -> {
            pendingHooks.remove(pending);
            send(project, env, path);
            imports.forEach((importer, froms) -> {
                String[] at = importer.split("\\|", 3);
                if (at[0].equals(project) && froms.stream().anyMatch(f -> f[0].equals(env) && f[1].equals(path))) {
                    scheduleWebhooks(project, at[1], at[2], importerWebhookDelay, depth + 1, seen);
                }
            });
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized ScheduledExecutorService sender() {
        if (webhookSender == null) {
            webhookSender = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "infisical-test-webhooks");
                t.setDaemon(true);
                return t;
            });
        }
        return webhookSender;
    }

    /** webhook-fns.ts: getWebhookPayload (general type) and triggerWebhookRequest (the signature header). */
    private void send(String project, String env, String path) {
        for (Hook hook : List.copyOf(hooks)) {
            if (!hook.project().equals(project) || !hook.env().equals(env) || !glob(hook.pathGlob(), path)) {
                continue;
            }
            long ts = clock.millis();
            String body = "{\"event\":\"secrets.modified\",\"project\":{\"workspaceId\":\"" + project
                    + "\",\"projectId\":\"" + project + "\",\"projectName\":\"test-project\",\"environment\":\""
                    + env + "\",\"environmentName\":\"" + env + "\",\"secretPath\":\"" + path + "\"},\"timestamp\":"
                    + ts + "}";
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hook.key().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String sig = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hook.url()))
                        .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
                        .header("x-infisical-signature", "t=" + ts + ";" + sig)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException | GeneralSecurityException e) {
                // Infisical records a failed delivery and does not send it again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Approval policy paths: an exact path, or a prefix ending in {@code /**}. */
    private static boolean glob(String pattern, String path) {
        if (pattern.endsWith("/**")) {
            String prefix = pattern.substring(0, pattern.length() - 3);
            return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
        }
        return pattern.equals(path);
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
        if (webhookSender != null) {
            webhookSender.shutdownNow();
        }
    }
}
