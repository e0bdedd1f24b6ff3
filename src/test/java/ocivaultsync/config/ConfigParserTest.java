package ocivaultsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import ocivaultsync.reconcile.DeletionGuard;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.InitialSyncBehavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {

    static final ObjectMapper M = new ObjectMapper();
    static final String VALID = """
            fingerprintKey: {secretId: ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaafp}
            syncs:
              - name: app-prod
                description: Production app secrets
                source:
                  type: infisical
                  url: https://app.infisical.com
                  projectId: 6f1c2d3e-0000-4000-8000-000000000001
                  environment: prod
                  secretPath: /app
                  recursive: false
                  includeImports: true
                  auth: {clientId: machine-id, clientSecret: {secretId: ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaacs}}
                  webhookSigningKey: {secretId: ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaawh}
                destination:
                  region: eu-frankfurt-1
                  compartmentId: ocid1.compartment.oc1..aaaaaaaacomp
                  vaultId: ocid1.vault.oc1.eu-frankfurt-1.bbbbvault
                  keyId: ocid1.key.oc1.eu-frankfurt-1.bbbbkey
                options:
                  initialSyncBehavior: overwrite-destination
                  keySchema: "{{environment}}-{{secretKey}}"
                  autoSync: true
                  disableSecretDeletion: false
                  deletionDelayDays: 7
                  deletionGuard: {maxPercent: 50, minCount: 3}
              - name: local-dev
                source: {type: file, path: secrets.yaml}
                destination:
                  region: us-ashburn-1
                  compartmentId: ocid1.tenancy.oc1..aaaaaaaatenancy
                  vaultId: ocid1.vault.oc1.iad.cccvault
                  keyId: ocid1.key.oc1.iad.ccckey
                options: {manageEverySecretInVault: true}
            """;

    static final ConfigParser STRICT = new ConfigParser(false);
    static final ConfigParser LOCAL = new ConfigParser(true);

    static ObjectNode baseline() {
        try {
            return (ObjectNode) new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(VALID);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode sync0(ObjectNode root) {
        return (ObjectNode) root.get("syncs").get(0);
    }

    static ObjectNode at(ObjectNode root, String... path) {
        JsonNode n = sync0(root);
        for (String p : path) {
            n = n.get(p);
        }
        return (ObjectNode) n;
    }

    static Arguments bad(String name, Consumer<ObjectNode> edit, String message) {
        return Arguments.of(name, edit, message);
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
            bad("no fingerprint key", r -> r.remove("fingerprintKey"), "fingerprintKey: is required"),
            bad("no syncs", r -> r.remove("syncs"), "syncs: is required"),
            bad("empty syncs", r -> r.putArray("syncs"), "syncs: must list at least one sync"),
            bad("syncs not a list", r -> r.put("syncs", "app-prod"), "syncs: must be a list of syncs"),
            bad("sync not a mapping", r -> ((ArrayNode) r.get("syncs")).set(1, M.getNodeFactory().textNode("x")),
                    "syncs[1]: must be a mapping"),
            bad("unknown top-level field", r -> r.put("sync", "x"), "sync: unknown field"),
            bad("name missing", r -> sync0(r).remove("name"), "syncs[0].name: is required"),
            bad("name with capitals", r -> sync0(r).put("name", "App-Prod"),
                    "syncs[0].name: must be a slug of lower-case letters, digits and single hyphens, at most 64 characters"),
            bad("name with double hyphen", r -> sync0(r).put("name", "app--prod"),
                    "syncs[0].name: must be a slug of lower-case letters, digits and single hyphens, at most 64 characters"),
            bad("name too long", r -> sync0(r).put("name", "a".repeat(65)),
                    "syncs[0].name: must be a slug of lower-case letters, digits and single hyphens, at most 64 characters"),
            bad("name not a string", r -> sync0(r).put("name", 42), "syncs[0].name: must be a string"),
            bad("duplicate names", r -> ((ObjectNode) r.get("syncs").get(1)).put("name", "app-prod"),
                    "syncs[1].name: duplicate sync name app-prod (also syncs[0].name)"),
            bad("description too long", r -> sync0(r).put("description", "d".repeat(257)),
                    "syncs[0].description: must be at most 256 characters"),
            bad("typo in an option", r -> at(r, "options").put("disableSecretDeletin", true),
                    "syncs[0].options.disableSecretDeletin: unknown field"),
            bad("source type missing", r -> at(r, "source").remove("type"), "syncs[0].source.type: is required"),
            bad("source type unknown", r -> at(r, "source").put("type", "vault"),
                    "syncs[0].source.type: must be one of infisical, file"),
            bad("infisical without project", r -> at(r, "source").remove("projectId"),
                    "syncs[0].source.projectId: is required"),
            bad("infisical without environment", r -> at(r, "source").remove("environment"),
                    "syncs[0].source.environment: is required"),
            bad("environment with a slash", r -> at(r, "source").put("environment", "prod/eu"),
                    "syncs[0].source.environment: must be an environment slug of letters, digits, '-', '_' and '.' (it can appear in secret names), at most 64 characters"),
            bad("relative secret path", r -> at(r, "source").put("secretPath", "app"),
                    "syncs[0].source.secretPath: must be an absolute folder path such as / or /app"),
            bad("plain http url", r -> at(r, "source").put("url", "http://infisical.example.com"),
                    "syncs[0].source.url: must be an https URL such as https://app.infisical.com (plain http only for localhost)"),
            bad("url with credentials", r -> at(r, "source").put("url", "https://user:pw@infisical.example.com"),
                    "syncs[0].source.url: must not carry a query, fragment or credentials"),
            bad("no auth", r -> at(r, "source").remove("auth"), "syncs[0].source.auth: is required"),
            bad("auth without client id", r -> at(r, "source", "auth").remove("clientId"),
                    "syncs[0].source.auth.clientId: is required"),
            bad("client secret inlined", r -> at(r, "source", "auth").putObject("clientSecret").put("value", "s3cr3t"),
                    "syncs[0].source.auth.clientSecret: inline values are for local use only; reference an OCI Vault secret with {secretId: ...} (local runs may set ovs.allow-inline-secrets=true)"),
            bad("client secret as a bare string", r -> at(r, "source", "auth").put("clientSecret", "s3cr3t"),
                    "syncs[0].source.auth.clientSecret: must be {secretId: <vault secret OCID>} or {value: <text>}"),
            bad("secret ref with both", r -> at(r, "source", "auth", "clientSecret").put("value", "x"),
                    "syncs[0].source.auth.clientSecret: must have exactly one of secretId or value"),
            bad("secret ref to a vault", r -> at(r, "source", "webhookSigningKey")
                    .put("secretId", "ocid1.vault.oc1.eu-frankfurt-1.bbbbvault"),
                    "syncs[0].source.webhookSigningKey.secretId: must be a vault secret OCID (ocid1.vaultsecret.<realm>.<region>.<id>)"),
            bad("file source with an infisical field", r -> ((ObjectNode) r.get("syncs").get(1).get("source"))
                    .put("projectId", "p"), "syncs[1].source.projectId: unknown field"),
            bad("file source without path", r -> ((ObjectNode) r.get("syncs").get(1).get("source")).remove("path"),
                    "syncs[1].source.path: is required"),
            bad("no destination", r -> sync0(r).remove("destination"), "syncs[0].destination: is required"),
            bad("bad region", r -> at(r, "destination").put("region", "Frankfurt"),
                    "syncs[0].destination.region: must be an OCI region identifier such as eu-frankfurt-1"),
            bad("vault OCID in compartmentId", r -> at(r, "destination")
                    .put("compartmentId", "ocid1.vault.oc1.eu-frankfurt-1.bbbbvault"),
                    "syncs[0].destination.compartmentId: must be a compartment OCID (ocid1.compartment.<realm>..<id>) or the tenancy OCID"),
            bad("key OCID in vaultId", r -> at(r, "destination").put("vaultId", "ocid1.key.oc1.eu-frankfurt-1.bbbbkey"),
                    "syncs[0].destination.vaultId: must be a vault OCID (ocid1.vault.<realm>.<region>.<id>)"),
            bad("not an OCID at all", r -> at(r, "destination").put("keyId", "my-key"),
                    "syncs[0].destination.keyId: must be a key OCID (ocid1.key.<realm>.<region>.<id>)"),
            bad("missing vault", r -> at(r, "destination").remove("vaultId"), "syncs[0].destination.vaultId: is required"),
            bad("unknown behaviour", r -> at(r, "options").put("initialSyncBehavior", "overwrite"),
                    "syncs[0].options.initialSyncBehavior: must be one of overwrite-destination, import-prioritize-source, import-prioritize-destination"),
            bad("key schema twice", r -> at(r, "options").put("keySchema", "{{secretKey}}-{{secretKey}}"),
                    "syncs[0].options.keySchema: must contain {{secretKey}} exactly once"),
            bad("no key schema: every secret of the vault fits", r -> at(r, "options").remove("keySchema"),
                    "syncs[0].options.keySchema: is not set, so the names are the source keys and every secret of the "
                            + "destination vault fits: the sync would adopt, overwrite and delete secrets it did not "
                            + "create; give it a literal part, such as \"app-prod-{{secretKey}}\", or set "
                            + "options.manageEverySecretInVault: true to manage every secret of the vault"),
            bad("no options at all", r -> sync0(r).remove("options"),
                    "syncs[0].options.keySchema: is not set, so the names are the source keys and every secret of the "
                            + "destination vault fits: the sync would adopt, overwrite and delete secrets it did not "
                            + "create; give it a literal part, such as \"app-prod-{{secretKey}}\", or set "
                            + "options.manageEverySecretInVault: true to manage every secret of the vault"),
            bad("a key schema with no literal part", r -> at(r, "options").put("keySchema", "{{secretKey}}"),
                    "syncs[0].options.keySchema: {{secretKey}} has no literal part, so every secret of the destination "
                            + "vault fits: the sync would adopt, overwrite and delete secrets it did not create; give it "
                            + "a literal part, such as \"app-prod-{{secretKey}}\", or set "
                            + "options.manageEverySecretInVault: true to manage every secret of the vault"),
            bad("the whole vault said of a schema with a literal part", r -> at(r, "options")
                    .put("manageEverySecretInVault", true), "syncs[0].options.manageEverySecretInVault: must not be "
                            + "set with keySchema {{environment}}-{{secretKey}}, which fits only the names it spells out; "
                            + "remove it, or the keySchema's literal part"),
            bad("the whole vault as text", r -> ((ObjectNode) r.get("syncs").get(1).get("options"))
                    .put("manageEverySecretInVault", "yes"), "syncs[1].options.manageEverySecretInVault: must be true "
                            + "or false"),
            bad("key schema with a slash", r -> at(r, "options").put("keySchema", "app/{{secretKey}}"),
                    "syncs[0].options.keySchema: may only contain letters, digits, '-', '_' and '.' outside the placeholders {{secretKey}} and {{environment}} (OCI secret names allow nothing else)"),
            bad("key schema unknown placeholder", r -> at(r, "options").put("keySchema", "{{env}}-{{secretKey}}"),
                    "syncs[0].options.keySchema: unknown placeholder {{env}}; the placeholders are {{secretKey}} and {{environment}}"),
            bad("deletion delay 0", r -> at(r, "options").put("deletionDelayDays", 0),
                    "syncs[0].options.deletionDelayDays: must be between 1 and 30 (OCI's deletion window, in days)"),
            bad("keep versions 1", r -> at(r, "options").put("keepVersions", 1),
                    "syncs[0].options.keepVersions: must be between 2 and 29 (OCI never deletes a CURRENT or PREVIOUS "
                            + "version, and keeps at most 30 in use)"),
            bad("keep versions 30", r -> at(r, "options").put("keepVersions", 30),
                    "syncs[0].options.keepVersions: must be between 2 and 29 (OCI never deletes a CURRENT or PREVIOUS "
                            + "version, and keeps at most 30 in use)"),
            bad("deletion delay 31", r -> at(r, "options").put("deletionDelayDays", 31),
                    "syncs[0].options.deletionDelayDays: must be between 1 and 30 (OCI's deletion window, in days)"),
            bad("deletion delay as text", r -> at(r, "options").put("deletionDelayDays", "7"),
                    "syncs[0].options.deletionDelayDays: must be a whole number"),
            bad("autoSync as text", r -> at(r, "options").put("autoSync", "yes"),
                    "syncs[0].options.autoSync: must be true or false"),
            bad("guard percent 101", r -> at(r, "options", "deletionGuard").put("maxPercent", 101),
                    "syncs[0].options.deletionGuard.maxPercent: must be between 0 and 100"),
            bad("guard negative count", r -> at(r, "options", "deletionGuard").put("minCount", -1),
                    "syncs[0].options.deletionGuard.minCount: must be 0 or more"),
            bad("guard typo", r -> at(r, "options", "deletionGuard").put("maxPercentage", 10),
                    "syncs[0].options.deletionGuard.maxPercentage: unknown field"),
            bad("recursive with an import behaviour", r -> {
                at(r, "source").put("recursive", true);
                at(r, "options").put("initialSyncBehavior", "import-prioritize-source");
            }, "syncs[0].options.initialSyncBehavior: import-prioritize-source imports into one source folder, so it cannot be used with source.recursive: true"),
            bad("short inline fingerprint key", r -> r.putObject("fingerprintKey").put("value", "short"),
                    "fingerprintKey: inline values are for local use only; reference an OCI Vault secret with {secretId: ...} (local runs may set ovs.allow-inline-secrets=true)")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void rejectsWithAnErrorNamingTheField(String name, Consumer<ObjectNode> edit, String message) throws Exception {
        ObjectNode doc = baseline();
        edit.accept(doc);
        var asJson = assertThrows(ConfigException.class, () -> STRICT.parse(M.writeValueAsString(doc)));
        assertEquals(message, asJson.getMessage());
        var asYaml = assertThrows(ConfigException.class, () -> STRICT.parse(
                new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(doc)));
        assertEquals(message, asYaml.getMessage(), "YAML and JSON report alike");
    }

    @Test
    void thereAreAtLeastTwentyFiveInvalidConfigurations() {
        assertTrue(invalidConfigurations().count() >= 25);
    }

    @Test
    void parsesTheDesignExample() {
        SyncConfig c = STRICT.parse(VALID);
        assertEquals(new SecretRef.VaultSecret("ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaafp"), c.fingerprintKey());
        SyncDefinition s = c.sync("app-prod").orElseThrow();
        var src = (InfisicalSourceConfig) s.source();
        assertEquals(URI.create("https://app.infisical.com"), src.url());
        assertEquals("/app", src.secretPath());
        assertEquals(new InfisicalSourceConfig.InfisicalAuth("machine-id",
                new SecretRef.VaultSecret("ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaacs")), src.auth());
        assertTrue(src.webhookSigningKey().isPresent());
        assertEquals(new Destination("eu-frankfurt-1", "ocid1.compartment.oc1..aaaaaaaacomp",
                "ocid1.vault.oc1.eu-frankfurt-1.bbbbvault", "ocid1.key.oc1.eu-frankfurt-1.bbbbkey"), s.destination());
        assertEquals("{{environment}}-{{secretKey}}", s.options().keySchema().orElseThrow().template());
        assertEquals(7, s.options().deletionDelayDays());
        assertEquals(new DeletionGuard(50, 3), s.options().deletionGuard());
        assertEquals(Optional.of("Production app secrets"), s.description());
    }

    @Test
    void appliesDefaults() {
        SyncDefinition s = STRICT.parse(VALID).sync("local-dev").orElseThrow();
        assertEquals(new FileSourceConfig("secrets.yaml", "local"), s.source());
        SyncOptions d = SyncOptions.defaults();
        assertEquals(new SyncOptions(d.initialSyncBehavior(), d.keySchema(), d.autoSync(), d.disableSecretDeletion(),
                d.deletionDelayDays(), d.deletionGuard(), d.keepVersions(), true), s.options(),
                "the defaults, and the whole vault as the sync says");
        assertEquals(InitialSyncBehavior.OVERWRITE_DESTINATION, s.options().initialSyncBehavior());
        assertEquals(30, s.options().deletionDelayDays());
        assertTrue(s.options().autoSync());
        ObjectNode doc = baseline();
        at(doc, "source").remove("url");
        at(doc, "source").remove("secretPath");
        at(doc, "source").remove("includeImports");
        var src = (InfisicalSourceConfig) STRICT.parse(doc.toString()).syncs().get(0).source();
        assertEquals(URI.create("https://app.infisical.com"), src.url());
        assertEquals("/", src.secretPath());
        assertTrue(src.includeImports());
    }

    /**
     * Issue 19, item 3: a sync reaches the whole vault only when it says so. {@code {{environment}}} is a literal part
     * once filled in (an environment is never empty), and a literal part after {@code {{secretKey}}} counts too.
     */
    @Test
    void aSyncReachesEverySecretOfItsVaultOnlyWhenItSaysSo() {
        for (String schema : java.util.List.of("{{environment}}{{secretKey}}", "{{secretKey}}.cfg", "a{{secretKey}}")) {
            ObjectNode doc = baseline();
            at(doc, "options").put("keySchema", schema);
            SyncOptions o = STRICT.parse(doc.toString()).syncs().get(0).options();
            assertEquals(schema, o.keySchema().orElseThrow().template());
            assertFalse(o.manageEverySecretInVault());
        }
        ObjectNode doc = baseline();
        at(doc, "options").put("keySchema", "{{secretKey}}").put("manageEverySecretInVault", true);
        assertTrue(STRICT.parse(doc.toString()).syncs().get(0).options().manageEverySecretInVault());
        at(doc, "options").remove("keySchema");
        assertTrue(STRICT.parse(doc.toString()).syncs().get(0).options().keySchema().isEmpty());
        at(doc, "options").put("manageEverySecretInVault", false);
        assertThrows(ConfigException.class, () -> STRICT.parse(doc.toString()), "false is not saying so");
    }

    @Test
    void acceptsOtherRealmsAndLoopbackHttp() {
        ObjectNode doc = baseline();
        at(doc, "destination").put("compartmentId", "ocid1.compartment.oc2..aaaa");
        at(doc, "destination").put("vaultId", "ocid1.vault.oc9.us-langley-1.bbbb");
        at(doc, "destination").put("keyId", "ocid1.key.oc10.me-dcc-muscat-1.cccc");
        at(doc, "destination").put("region", "me-dcc-muscat-1");
        at(doc, "source").put("url", "http://127.0.0.1:8088/");
        SyncDefinition s = new ConfigParser(false, ConfigBuilder.TEST_HOSTS).parse(doc.toString()).syncs().get(0);
        assertEquals("ocid1.vault.oc9.us-langley-1.bbbb", s.destination().vaultId());
        assertEquals(URI.create("http://127.0.0.1:8088"), ((InfisicalSourceConfig) s.source()).url());
    }

    @Test
    void inlineSecretsAreForLocalRunsAndNeverPrinted() {
        ObjectNode doc = baseline();
        doc.putObject("fingerprintKey").put("value", "a-local-fingerprint-key-of-32-bytes!!");
        at(doc, "source", "auth").putObject("clientSecret").put("value", "very-secret-client-secret");
        SyncConfig c = LOCAL.parse(doc.toString());
        assertEquals("{value: ***}", c.fingerprintKey().toString());
        assertFalse(c.toString().contains("very-secret-client-secret"));
        doc.putObject("fingerprintKey").put("value", "short-key");
        assertEquals("fingerprintKey.value: must be at least 32 bytes",
                assertThrows(ConfigException.class, () -> LOCAL.parse(doc.toString())).getMessage());
        doc.putObject("fingerprintKey").put("value", "a-local-fingerprint-key-of-32-bytes!!");
        at(doc, "source").putObject("webhookSigningKey").put("value", "a-31-byte-webhook-key-012345678");
        assertEquals("syncs[0].source.webhookSigningKey.value: must be at least 32 bytes: a shorter key could be "
                + "guessed from the answers to signed requests", assertThrows(ConfigException.class,
                        () -> LOCAL.parse(doc.toString())).getMessage());
        at(doc, "source").putObject("webhookSigningKey").put("value", "a-32-byte-webhook-key-0123456789");
        assertTrue(((InfisicalSourceConfig) LOCAL.parse(doc.toString()).syncs().get(0).source()).webhookSigningKey()
                .isPresent());
    }

    @Test
    void reportsEveryErrorAtOnce() {
        ObjectNode doc = baseline();
        sync0(doc).put("name", "Bad Name");
        at(doc, "options").put("deletionDelayDays", 99);
        var e = assertThrows(ConfigException.class, () -> STRICT.parse(doc.toString()));
        assertEquals(2, e.errors().size());
        assertEquals("syncs[0].options.deletionDelayDays: must be between 1 and 30 (OCI's deletion window, in days)",
                e.errors().get(1));
    }

    @Test
    void malformedDocumentsNameOnlyTheLocationNeverTheText() {
        var yaml = assertThrows(ConfigException.class, () -> STRICT.parse("fingerprintKey: {value: \"hunter2\nsyncs: ["));
        assertTrue(yaml.getMessage().startsWith("configuration: not valid YAML at line "), yaml.getMessage());
        assertFalse(yaml.getMessage().contains("hunter2"));
        var json = assertThrows(ConfigException.class, () -> STRICT.parse("{\"fingerprintKey\": hunter2}"));
        assertEquals("configuration: not valid JSON at line 1, column 20", json.getMessage());
        var dup = assertThrows(ConfigException.class, () -> STRICT.parse("syncs: []\nsyncs: []\n"));
        assertTrue(dup.getMessage().startsWith("configuration: a field is given twice at line"), dup.getMessage());
        assertEquals("configuration: must be a mapping with fingerprintKey and syncs",
                assertThrows(ConfigException.class, () -> STRICT.parse("- a\n- b\n")).getMessage());
        assertEquals("configuration: is empty", assertThrows(ConfigException.class, () -> STRICT.parse("  ")).getMessage());
    }
}
