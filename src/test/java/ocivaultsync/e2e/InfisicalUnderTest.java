package ocivaultsync.e2e;

import java.util.List;
import java.util.Map;

/**
 * The Infisical server the end-to-end suite ({@link InfisicalSuite}) runs against: the in-repo test server
 * ({@link InfisicalOnTestServer}) in every build, or a real one ({@link LiveInfisical}) under {@code -Pinfisical-live}
 * (docs/REAL-SERVICES.md, "A real Infisical server"). Everything a test does to Infisical goes through here, so the
 * same test asks both servers the same thing.
 *
 * <p>Each instance is a project of its own with the environments {@code dev}, {@code staging} and {@code prod}, a
 * machine identity that may write ({@link #writer()}) and one that may only read ({@link #viewer()}).
 */
public interface InfisicalUnderTest extends AutoCloseable {

    /** A machine identity's Universal Auth credentials. */
    record Identity(String clientId, String clientSecret) {
    }

    /** What the product is pointed at. */
    String url();

    String projectId();

    /** A machine identity with the project role {@code member}: reads and writes secrets. */
    Identity writer();

    /** A machine identity with the project role {@code viewer}: reads secrets, writes none. */
    Identity viewer();

    /** A secret created or changed through Infisical's API, as a person or another tool would. */
    InfisicalUnderTest put(String env, String path, String key, String value);

    InfisicalUnderTest remove(String env, String path, String key);

    /** A folder (and its parents). */
    InfisicalUnderTest folder(String env, String path);

    /** {@code path} of {@code env} imports {@code fromPath} of {@code fromEnv}. */
    InfisicalUnderTest importFolder(String env, String path, String fromEnv, String fromPath);

    /** The shared secrets of one folder as Infisical holds them now. */
    Map<String, String> values(String env, String path);

    /** A project webhook: changes in {@code env} whose path matches {@code pathGlob} are posted to {@code url}. */
    void webhook(String env, String pathGlob, String url, String signingKey);

    /**
     * How long the webhooks of a change can take to be sent, its importers' included: the real server sends a folder's
     * 4 to 7 s after the change and each importer's about 4 s later (docs/ASSUMPTIONS.md, "Webhooks of importing
     * folders").
     */
    java.time.Duration webhookLag();

    /** Every token handed out so far stops working, as if each had been revoked. */
    void revokeTokens();

    /** The product's calls so far, {@code "METHOD /path"}. */
    List<String> requests();

    void clearRequests();

    @Override
    void close();
}
