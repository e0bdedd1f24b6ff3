package ocivaultsync.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.source.infisical.InfisicalSources;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration the Terraform module stores, rendered for real: {@code terraform apply} of the module's
 * configuration template ({@code terraform/modules/configuration}, which needs no provider) with the example's syncs
 * and example OCIDs, then parsed by the product as the function parses it, with the granted secrets the module passes
 * (OVS_GRANTED_SECRET_IDS). The operator writes only the syncs; every OCID comes from the module.
 */
class TerraformConfigurationTest {

    static final Path TEMPLATE = Path.of("terraform/modules/configuration").toAbsolutePath();
    static final Path EXAMPLE_SYNCS = Path.of("terraform/examples/basic/syncs.yaml").toAbsolutePath();

    static final String REGION = "eu-frankfurt-1";
    static final String COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexamplecompartment";
    static final String VAULT = "ocid1.vault.oc1.eu-frankfurt-1.bbbbbbbbexamplevault";
    static final String KEY = "ocid1.key.oc1.eu-frankfurt-1.bbbbbbbbexamplekey";
    static final String FINGERPRINT = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaexamplefp";
    static final String CLIENT = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaexampleclient";
    static final String HOOK = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaexamplehook";
    /** What the module grants the function in this set-up (the configuration secret itself, and the three above). */
    static final Set<String> GRANTED = Set.of("ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaexampleconfig",
            FINGERPRINT, CLIENT, HOOK);

    @BeforeAll
    static void terraformIsHere() throws Exception {
        Assumptions.assumeTrue(run(Path.of("."), List.of("terraform", "version")) != null,
                "terraform is not installed here");
    }

    static Map<String, String> exampleVariables(Path syncs) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("syncs_file", syncs.toString());
        v.put("region", REGION);
        v.put("compartment_id", COMPARTMENT);
        v.put("vault_id", VAULT);
        v.put("key_id", KEY);
        v.put("fingerprint_key_secret_id", FINGERPRINT);
        v.put("infisical_client_secret_id", CLIENT);
        v.put("webhook_key_secret_id", HOOK);
        return v;
    }

    @Test
    void theExampleRendersIntoAConfigurationTheFunctionLoadsWithNoPlaceholderLeft() throws Exception {
        String document = render(exampleVariables(EXAMPLE_SYNCS));
        for (String placeholder : List.of("<", ">", "${", "...")) {
            assertFalse(document.contains(placeholder), "a placeholder (" + placeholder + ") is left: " + document);
        }
        SyncConfig config = new ConfigParser(false, Optional.of(GRANTED)).parse(document);
        assertEquals(new SecretRef.VaultSecret(FINGERPRINT), config.fingerprintKey());
        assertEquals(1, config.syncs().size());
        SyncDefinition sync = config.syncs().get(0);
        assertEquals("app-prod", sync.name());
        assertEquals(new Destination(REGION, COMPARTMENT, VAULT, KEY), sync.destination());
        InfisicalSourceConfig source = (InfisicalSourceConfig) sync.source();
        assertEquals(new SecretRef.VaultSecret(CLIENT), source.auth().clientSecret());
        assertEquals(Optional.of(new SecretRef.VaultSecret(HOOK)), source.webhookSigningKey());
        assertEquals("prod", source.environment());
        assertEquals(Set.of(FINGERPRINT, CLIENT, HOOK), config.referencedSecretIds());
    }

    @Test
    void withoutTheWebhookNoSigningKeyIsWritten() throws Exception {
        Map<String, String> vars = exampleVariables(EXAMPLE_SYNCS);
        vars.remove("webhook_key_secret_id");
        InfisicalSourceConfig source = (InfisicalSourceConfig) new ConfigParser(false, Optional.of(GRANTED))
                .parse(render(vars)).syncs().get(0).source();
        assertEquals(Optional.empty(), source.webhookSigningKey());
    }

    /**
     * A sync may name its own client secret (a second machine identity); the module keeps it, and the function
     * refuses it by name unless the module was told to grant it (infisical_client_secret_ids).
     */
    @Test
    void aSecretTheSyncNamesItselfIsKeptAndRefusedUnlessGranted() throws Exception {
        String own = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaasecondidentity";
        Path syncs = Files.createTempFile("ovs-syncs", ".yaml");
        Files.writeString(syncs, """
                syncs:
                  - name: team-b
                    source:
                      type: infisical
                      projectId: 0a1b2c3d
                      environment: staging
                      auth: {clientId: second-identity, clientSecret: {secretId: %s}}
                    options: {keySchema: "b-{{secretKey}}"}
                  - name: team-a
                    source: {type: infisical, projectId: 0a1b2c3d, environment: prod, auth: {clientId: first}}
                    options: {keySchema: "a-{{secretKey}}"}
                """.formatted(own));
        String document = render(exampleVariables(syncs));
        ConfigException refused = assertThrows(ConfigException.class,
                () -> new ConfigParser(false, Optional.of(GRANTED)).parse(document));
        assertEquals("syncs[0].source.auth.clientSecret.secretId: " + own + " is not a secret the function may read: "
                + "ovs.granted-secret-ids (OVS_GRANTED_SECRET_IDS), which the Terraform module sets to the secrets its "
                + "policy grants, does not list it (add it to the module's infisical_client_secret_ids)",
                refused.getMessage());
        Set<String> granted = new java.util.HashSet<>(GRANTED);
        granted.add(own);
        SyncConfig config = new ConfigParser(false, Optional.of(granted)).parse(document);
        assertEquals(new SecretRef.VaultSecret(own),
                ((InfisicalSourceConfig) config.sync("team-b").orElseThrow().source()).auth().clientSecret());
        assertEquals(new SecretRef.VaultSecret(CLIENT),
                ((InfisicalSourceConfig) config.sync("team-a").orElseThrow().source()).auth().clientSecret());
        Files.delete(syncs);
    }

    /**
     * Issue 19, item 3: the function's grant on the destination vault names what the syncs' key schemas reach (their
     * literal parts, {@code {{environment}}} filled in, as prefix and suffix patterns) and the syncs' state secrets;
     * a sync that reaches every name leaves an empty condition, which keeps the grant on the whole vault (iam.tf).
     * Every name the product's KeySchema fits is one the pattern admits.
     */
    @Test
    void theSecretGrantNamesWhatTheSyncsKeySchemasReach() throws Exception {
        Path syncs = Files.createTempFile("ovs-syncs", ".yaml");
        Files.writeString(syncs, """
                syncs:
                  - name: a
                    source: {type: infisical, projectId: p, environment: prod, auth: {clientId: c}}
                    options: {keySchema: "{{environment}}-{{secretKey}}"}
                  - name: b
                    source: {type: infisical, projectId: p, environment: dev, auth: {clientId: c}}
                    options: {keySchema: "{{secretKey}}_{{environment}}"}
                  - name: c
                    source: {type: infisical, projectId: p, environment: dev, auth: {clientId: c}}
                    options: {keySchema: "x-{{secretKey}}.y"}
                  - name: d
                    source: {type: infisical, projectId: q, environment: prod, auth: {clientId: c}}
                    options: {keySchema: "{{environment}}-{{secretKey}}"}
                """);
        Map<String, String> vars = exampleVariables(syncs);
        List<String> names = names(vars);
        assertEquals(List.of("target.secret.name = /" + stateSecretPrefix() + "*/", "target.secret.name = /prod-*/",
                "target.secret.name = /*_dev/", "target.secret.name = /x-*/, target.secret.name = /*.y/"), names,
                "one per distinct schema, the state secrets first");
        SyncConfig config = new ConfigParser(false, Optional.of(GRANTED)).parse(render(vars));
        for (SyncDefinition s : config.syncs()) {
            String schema = s.options().keySchema().orElseThrow().template()
                    .replace("{{environment}}", s.source().environment());
            String name = schema.replace("{{secretKey}}", "DB_PASS");
            assertTrue(s.options().keySchema().get().matches(name, s.source().environment()));
            assertTrue(names.stream().anyMatch(c -> admits(c, name)), name + " is granted");
            assertFalse(names.subList(1, names.size()).stream().anyMatch(c -> admits(c, "DB_PASS")),
                    "a bare key is not granted");
        }
        Files.writeString(syncs, """
                syncs:
                  - name: a
                    source: {type: infisical, projectId: p, environment: prod, auth: {clientId: c}}
                    options: {keySchema: "a-{{secretKey}}"}
                  - name: everything
                    source: {type: infisical, projectId: p, environment: prod, auth: {clientId: c}}
                    options: {manageEverySecretInVault: true}
                """);
        assertTrue(names(vars).contains(""), "a sync that reaches every name leaves the grant on the whole vault");
        Files.delete(syncs);
    }

    /** Whether a condition of the form {@code target.secret.name = /p* /, ...} admits a name (all of them match). */
    static boolean admits(String condition, String name) {
        for (String part : condition.split(", ")) {
            String pattern = part.substring(part.indexOf('/') + 1, part.lastIndexOf('/'));
            String regex = java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q");
            if (!java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.CASE_INSENSITIVE).matcher(name)
                    .matches()) {
                return false;
            }
        }
        return true;
    }

    /** The product's own state-secret prefix (reconcile.SyncRecord.NAME_PREFIX, package-private there). */
    static String stateSecretPrefix() throws Exception {
        java.lang.reflect.Field f = Class.forName("ocivaultsync.reconcile.SyncRecord").getDeclaredField("NAME_PREFIX");
        f.setAccessible(true);
        return (String) f.get(null);
    }

    /** The module's secret_name_conditions for these variables. */
    static List<String> names(Map<String, String> vars) throws Exception {
        List<String> list = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(output(vars, "-json", "names"))
                .forEach(n -> list.add(n.asText()));
        return list;
    }

    /** What the module writes cannot be written by the operator too: a second source of truth is refused at plan. */
    @Test
    void aSyncsFileThatWritesWhatTheModuleWritesIsRefused() throws Exception {
        Path syncs = Files.createTempFile("ovs-syncs", ".yaml");
        Files.writeString(syncs, """
                syncs:
                  - name: app-prod
                    source: {type: infisical, projectId: p, environment: prod, auth: {clientId: c}}
                    destination: {vaultId: ocid1.vault.oc1.eu-frankfurt-1.other}
                """);
        String out = apply(exampleVariables(syncs));
        assertTrue(out.startsWith("1\n") && flat(out).contains("A sync of the syncs file has a destination: the "
                + "module writes it (region, compartment_id, vault_id, key_id); remove it."), out);
        Files.writeString(syncs, "fingerprintKey: {secretId: " + FINGERPRINT + "}\nsyncs: []\n");
        out = apply(exampleVariables(syncs));
        assertTrue(flat(out).contains("The syncs file must be a mapping with one field, syncs (the module writes "
                + "fingerprintKey)."), out);
        assertTrue(flat(out).contains("The syncs file's syncs must be a list of at least one sync, each a mapping."),
                out);
        Files.delete(syncs);
    }

    /** The main module hands the template exactly its own OCIDs and stores what it renders. */
    @Test
    void theModuleRendersItsConfigurationThroughTheTemplate() throws IOException {
        String secrets = Files.readString(Path.of("terraform/secrets.tf"));
        String call = secrets.substring(secrets.indexOf("module \"configuration\" {"));
        call = call.substring(0, call.indexOf("\n}\n"));
        for (String wiring : List.of("source                     = \"./modules/configuration\"",
                "syncs_file                 = var.syncs_file", "region                     = var.region",
                "compartment_id             = var.compartment_id", "vault_id                   = var.vault_id",
                "key_id                     = var.key_id",
                "fingerprint_key_secret_id  = local.fingerprint_key_secret_id",
                "infisical_client_secret_id = local.infisical_client_secret_id",
                "webhook_key_secret_id      = local.webhook_key_secret_id")) {
            assertTrue(call.contains(wiring), wiring + " in " + call);
        }
        assertTrue(secrets.contains("content      = base64encode(module.configuration.document)"));
        assertTrue(secrets.contains("content      = base64encode(\"" + InfisicalSources.UNSET_CLIENT_SECRET + " "),
                "the client secret's placeholder is the one the function recognises");
        assertTrue(secrets.contains("ignore_changes = [secret_content]"), "Terraform never overwrites the stored one");
    }

    /** The module's extra settings are passed through by environment name, and cannot replace its own. */
    @Test
    void extraSettingsAreEnvironmentNamesAndNeverTheModulesOwn() throws Exception {
        Path dir = Files.createTempDirectory("ovs-tf-settings");
        Files.writeString(dir.resolve("variables.tf"), variableBlock(Path.of("terraform/functions.tf"), "settings"));
        assertEquals(0, exit(run(dir, List.of("terraform", "init", "-input=false", "-no-color"))));
        String ok = run(dir, List.of("terraform", "plan", "-input=false", "-no-color",
                "-var=settings={OVS_SYNC_PARALLELISM=\"4\", OVS_OCI_MAX_ATTEMPTS=\"5\"}"));
        assertEquals(0, exit(ok), ok);
        String bad = run(dir, List.of("terraform", "plan", "-input=false", "-no-color",
                "-var=settings={\"ovs.sync.parallelism\"=\"4\", OVS_CONFIG_SECRET_ID=\"x\"}"));
        assertTrue(flat(bad).contains("settings keys must be OVS_* environment names of the function's settings, such "
                + "as OVS_SYNC_PARALLELISM."), bad);
        assertTrue(flat(bad).contains("settings cannot set OVS_CONFIG, OVS_CONFIG_FILE, OVS_CONFIG_SECRET_ID, "
                + "OVS_OCI_REGION, OVS_WEBHOOK_KEY_SECRET_IDS, OVS_GRANTED_SECRET_IDS, OVS_METRICS_COMPARTMENT_ID or "
                + "OVS_OPERATOR_PRINCIPAL_IDS: the module writes them (operator_principal_ids for the last)."), bad);
        String operators = run(dir, List.of("terraform", "plan", "-input=false", "-no-color",
                "-var=settings={OVS_OPERATOR_PRINCIPAL_IDS=\"ocid1.user.oc1..someoneelse\"}"));
        assertTrue(flat(operators).contains("settings cannot set"), "the operators come from operator_principal_ids "
                + "alone: " + operators);
    }

    /** The text of {@code variable "<name>" { ... }} in a file (braces balanced; no brace inside its strings). */
    static String variableBlock(Path file, String name) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("variable \"" + name + "\" {");
        assertTrue(start >= 0, name + " in " + file);
        int depth = 0;
        for (int i = text.indexOf('{', start); i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return text.substring(start, i + 1) + "\n";
            }
        }
        throw new AssertionError("unbalanced block " + name);
    }

    static String flat(String s) {
        return s.replaceAll("\\s+", " ");
    }

    /** The document the template renders with these variables; fails the test with Terraform's output otherwise. */
    static String render(Map<String, String> vars) throws Exception {
        return output(vars, "-raw", "document");
    }

    /** {@code terraform output <args>} of the template applied with these variables (stdout only). */
    static String output(Map<String, String> vars, String... args) throws Exception {
        Path dir = root(vars);
        String applied = run(dir, List.of("terraform", "apply", "-auto-approve", "-input=false", "-no-color"));
        assertEquals(0, exit(applied), applied);
        List<String> cmd = new ArrayList<>(List.of("terraform", "output"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Exit code, a newline and Terraform's output of an apply with these variables. */
    static String apply(Map<String, String> vars) throws Exception {
        return run(root(vars), List.of("terraform", "apply", "-auto-approve", "-input=false", "-no-color"));
    }

    /** A root module that calls the template with these variables, initialised (local module, no provider). */
    static Path root(Map<String, String> vars) throws Exception {
        Path dir = Files.createTempDirectory("ovs-tf-config");
        StringBuilder main = new StringBuilder("module \"configuration\" {\n  source = \"" + TEMPLATE + "\"\n");
        vars.forEach((k, v) -> main.append("  ").append(k).append(" = \"").append(v).append("\"\n"));
        main.append("}\n\noutput \"document\" {\n  value = module.configuration.document\n}\n");
        main.append("\noutput \"names\" {\n  value = module.configuration.secret_name_conditions\n}\n");
        Files.writeString(dir.resolve("main.tf"), main.toString());
        String init = run(dir, List.of("terraform", "init", "-input=false", "-no-color"));
        assertEquals(0, exit(init), init);
        return dir;
    }

    static int exit(String result) {
        return Integer.parseInt(result.substring(0, result.indexOf('\n')));
    }

    /** Exit code, a newline and the output (stdout and stderr); null when terraform is not installed. */
    static String run(Path dir, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException notInstalled) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }
}
