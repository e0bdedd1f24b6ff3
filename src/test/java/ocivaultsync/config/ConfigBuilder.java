package ocivaultsync.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import ocivaultsync.emulator.EmulatedVault;

/**
 * A configuration document for tests, built field by field (docs/CONFIGURATION.md, 'The configuration document'): one
 * method per field, so a test says what it configures instead of concatenating YAML. It builds the document, not the
 * parsed records, so what a test configures still goes through {@link ConfigParser} as a user's file does.
 *
 * <pre>{@code
 * ConfigBuilder.withFingerprintKey(KEY)
 *         .eachSync(s -> s.fileSource(secrets).destination(region, compartment, vault, key))
 *         .sync("app", s -> s.keySchema("app-{{secretKey}}").autoSync(false))
 *         .parse();
 * }</pre>
 */
public final class ConfigBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectNode root;
    private UnaryOperator<Sync> eachSync = s -> s;
    private boolean wholeVault;

    private ConfigBuilder(ObjectNode root) {
        this.root = root;
    }

    /** A configuration whose fingerprint key is written inline (local runs and tests only). */
    public static ConfigBuilder withFingerprintKey(String value) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("fingerprintKey").put("value", value);
        root.putArray("syncs");
        return new ConfigBuilder(root);
    }

    /** A configuration whose fingerprint key is an OCI Vault secret. */
    public static ConfigBuilder withFingerprintKeySecret(String secretId) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("fingerprintKey").put("secretId", secretId);
        root.putArray("syncs");
        return new ConfigBuilder(root);
    }

    /** What every sync added from now on starts with (typically its source and destination). */
    public ConfigBuilder eachSync(UnaryOperator<Sync> defaults) {
        this.eachSync = defaults;
        return this;
    }

    /** Adds the sync {@code name}, or changes it if it is already there. */
    public ConfigBuilder sync(String name, UnaryOperator<Sync> fields) {
        ArrayNode syncs = (ArrayNode) root.get("syncs");
        for (int i = 0; i < syncs.size(); i++) {
            if (name.equals(syncs.get(i).path("name").asText(null))) {
                fields.apply(new Sync((ObjectNode) syncs.get(i)));
                return this;
            }
        }
        ObjectNode node = syncs.addObject();
        node.put("name", name);
        fields.apply(eachSync.apply(new Sync(node)));
        return this;
    }

    /**
     * Every sync that gives no keySchema, or one with no literal part, says {@code manageEverySecretInVault: true}
     * when the document is built: the test vaults these configurations write to hold nothing but the test's own
     * secrets, and the tests name secrets by their source keys. A sync given a keySchema with a literal part gets no
     * such option (the parser refuses it there).
     */
    public ConfigBuilder wholeVaultWithoutKeySchema() {
        this.wholeVault = true;
        return this;
    }

    /** An independent copy, for a test that changes one field of a shared configuration. */
    public ConfigBuilder copy() {
        ConfigBuilder c = new ConfigBuilder(root.deepCopy());
        c.eachSync = eachSync;
        c.wholeVault = wholeVault;
        return c;
    }

    /** The document as it is written out: with {@link #wholeVaultWithoutKeySchema}'s option where it applies. */
    private ObjectNode document() {
        if (!wholeVault) {
            return root;
        }
        ObjectNode doc = root.deepCopy();
        for (com.fasterxml.jackson.databind.JsonNode s : doc.path("syncs")) {
            if (!s.isObject() || s.has("options") && !s.get("options").isObject()) {
                continue;
            }
            ObjectNode sync = (ObjectNode) s;
            String schema = sync.path("options").path("keySchema").asText("");
            if (schema.replace("{{secretKey}}", "").isEmpty() && !sync.path("options").has("manageEverySecretInVault")) {
                (sync.has("options") ? (ObjectNode) sync.get("options") : sync.putObject("options"))
                        .put("manageEverySecretInVault", true);
            }
        }
        return doc;
    }

    /** The document as JSON (the parser reads JSON as well as YAML). */
    public String json() {
        try {
            return JSON.writeValueAsString(document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document as YAML, as a user would write it in a file. */
    public String yaml() {
        try {
            return YAML.writeValueAsString(document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Infisical hosts the tests' configurations may name: the test servers on the loopback address, listed
     * explicitly, as an operator would list a self-hosted Infisical.
     */
    public static final InfisicalHosts TEST_HOSTS = InfisicalHosts.of(java.util.List.of("127.0.0.1", "localhost"));

    /**
     * Parsed and validated as the product does (inline secret values allowed, as for local runs; the test Infisical
     * hosts allowed).
     */
    public SyncConfig parse() {
        return new ConfigParser(true, TEST_HOSTS).parse(json());
    }

    /** One entry of {@code syncs:}. */
    public static final class Sync {

        private final ObjectNode node;

        private Sync(ObjectNode node) {
            this.node = node;
        }

        public Sync description(String text) {
            node.put("description", text);
            return this;
        }

        /** A YAML or {@code .env} file of secrets. */
        public Sync fileSource(Path path) {
            return fileSource(path.toString());
        }

        public Sync fileSource(String path) {
            node.putObject("source").put("type", "file").put("path", path);
            return this;
        }

        /** The environment of the source: a file source's label, an Infisical project's environment slug. */
        public Sync environment(String env) {
            source().put("environment", env);
            return this;
        }

        /** An Infisical project's environment (at its root folder until {@link #secretPath} says otherwise). */
        public Sync infisicalSource(String url, String projectId, String environment) {
            node.putObject("source").put("type", "infisical").put("url", url).put("projectId", projectId)
                    .put("environment", environment);
            return this;
        }

        public Sync secretPath(String path) {
            source().put("secretPath", path);
            return this;
        }

        public Sync recursive(boolean recursive) {
            source().put("recursive", recursive);
            return this;
        }

        public Sync includeImports(boolean includeImports) {
            source().put("includeImports", includeImports);
            return this;
        }

        /** Universal auth with the client secret written inline. */
        public Sync auth(String clientId, String clientSecret) {
            ObjectNode auth = source().putObject("auth").put("clientId", clientId);
            auth.putObject("clientSecret").put("value", clientSecret);
            return this;
        }

        /** Universal auth with the client secret held in OCI Vault. */
        public Sync authSecret(String clientId, String clientSecretId) {
            ObjectNode auth = source().putObject("auth").put("clientId", clientId);
            auth.putObject("clientSecret").put("secretId", clientSecretId);
            return this;
        }

        /** The project webhook's signing key, written inline. */
        public Sync webhookSigningKey(String key) {
            source().putObject("webhookSigningKey").put("value", key);
            return this;
        }

        /** The project webhook's signing key, held in OCI Vault. */
        public Sync webhookSigningKeySecret(String secretId) {
            source().putObject("webhookSigningKey").put("secretId", secretId);
            return this;
        }

        /** An emulator's vault and key. */
        public Sync destination(EmulatedVault.Identity vault) {
            return destination(vault.region(), vault.compartmentId(), vault.vaultId(), vault.keyId());
        }

        public Sync destination(String region, String compartmentId, String vaultId, String keyId) {
            node.putObject("destination").put("region", region).put("compartmentId", compartmentId)
                    .put("vaultId", vaultId).put("keyId", keyId);
            return this;
        }

        /** overwrite-destination, import-prioritize-source or import-prioritize-destination. */
        public Sync initialSyncBehavior(String behavior) {
            options().put("initialSyncBehavior", behavior);
            return this;
        }

        public Sync keySchema(String schema) {
            options().put("keySchema", schema);
            return this;
        }

        public Sync autoSync(boolean on) {
            options().put("autoSync", on);
            return this;
        }

        public Sync disableSecretDeletion(boolean disabled) {
            options().put("disableSecretDeletion", disabled);
            return this;
        }

        public Sync deletionDelayDays(int days) {
            options().put("deletionDelayDays", days);
            return this;
        }

        public Sync deletionGuard(int maxPercent, int minCount) {
            options().putObject("deletionGuard").put("maxPercent", maxPercent).put("minCount", minCount);
            return this;
        }

        /** {@code options.manageEverySecretInVault}: the sync means to manage every secret of its vault. */
        public Sync manageEverySecretInVault(boolean every) {
            options().put("manageEverySecretInVault", every);
            return this;
        }

        public Sync keepVersions(int versions) {
            options().put("keepVersions", versions);
            return this;
        }

        /** Drops every option: the defaults apply. */
        public Sync defaultOptions() {
            node.remove("options");
            return this;
        }

        /**
         * Options written as YAML lines, for the older tests that still pass them as text; new tests use the typed
         * methods above.
         */
        public Sync optionsYaml(String yaml) {
            node.remove("options");
            if (!yaml.isBlank()) {
                try {
                    node.set("options", YAML.readTree(yaml));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("options: not valid YAML", e);
                }
            }
            return this;
        }

        private ObjectNode source() {
            ObjectNode source = (ObjectNode) node.get("source");
            if (source == null) {
                throw new IllegalStateException("set the source (fileSource or infisicalSource) before its fields");
            }
            return source;
        }

        private ObjectNode options() {
            return node.has("options") ? (ObjectNode) node.get("options") : node.putObject("options");
        }
    }
}
