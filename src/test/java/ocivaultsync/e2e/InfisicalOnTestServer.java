package ocivaultsync.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import ocivaultsync.source.infisical.InfisicalTestServer;

/**
 * The suite's Infisical as the in-repo test server, in the modes of the real server the suite was last run against
 * (docs/ASSUMPTIONS.md, "Infisical"): missing folders are 404, tokens are issued as current servers issue them, nested
 * imports are flattened into the import that leads to them. Its
 * webhooks come after the real server's delays divided by {@code webhookSpeedUp}, so a build does not wait seconds.
 */
final class InfisicalOnTestServer implements InfisicalUnderTest {

    static final String PROJECT = "6f1c2d3e-0000-4000-8000-000000000021";
    private static final Identity WRITER = new Identity("writer-identity", "writer-client-secret-0021");
    private static final Identity VIEWER = new Identity("viewer-identity", "viewer-client-secret-0021");

    private final InfisicalTestServer server;
    private final Duration webhookLag;

    InfisicalOnTestServer(Clock clock, int webhookSpeedUp) {
        try {
            server = new InfisicalTestServer(clock).missingFolderAnswers404().issuesTokensAsCurrentServers()
                    .flattensNestedImports()
                    .identity(WRITER.clientId(), WRITER.clientSecret()).viewer(VIEWER.clientId(), VIEWER.clientSecret())
                    .webhookDelays(Duration.ofSeconds(4).dividedBy(webhookSpeedUp),
                            Duration.ofSeconds(4).dividedBy(webhookSpeedUp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webhookLag = Duration.ofSeconds(12).dividedBy(webhookSpeedUp);
        // The default project template (backend/src/services/project/project-service.ts): dev, staging and prod.
        for (String env : List.of("dev", "staging", "prod")) {
            server.environment(PROJECT, env);
        }
    }

    @Override
    public String url() {
        return server.url();
    }

    @Override
    public String projectId() {
        return PROJECT;
    }

    @Override
    public Identity writer() {
        return WRITER;
    }

    @Override
    public Identity viewer() {
        return VIEWER;
    }

    @Override
    public InfisicalUnderTest put(String env, String path, String key, String value) {
        server.put(PROJECT, env, path, key, value);
        return this;
    }

    @Override
    public InfisicalUnderTest remove(String env, String path, String key) {
        server.remove(PROJECT, env, path, key);
        return this;
    }

    @Override
    public InfisicalUnderTest folder(String env, String path) {
        server.folderAt(PROJECT, env, path);
        return this;
    }

    @Override
    public InfisicalUnderTest importFolder(String env, String path, String fromEnv, String fromPath) {
        server.importFolder(PROJECT, env, path, fromEnv, fromPath);
        return this;
    }

    @Override
    public Map<String, String> values(String env, String path) {
        return server.values(PROJECT, env, path);
    }

    @Override
    public void webhook(String env, String pathGlob, String url, String signingKey) {
        server.webhook(PROJECT, env, pathGlob, url, signingKey);
    }

    @Override
    public Duration webhookLag() {
        return webhookLag;
    }

    @Override
    public void revokeTokens() {
        server.revokeTokens();
    }

    @Override
    public List<String> requests() {
        return server.requests();
    }

    @Override
    public void clearRequests() {
        server.clearRequests();
    }

    @Override
    public void close() {
        server.close();
    }
}
