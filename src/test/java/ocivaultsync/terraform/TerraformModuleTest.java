package ocivaultsync.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.time.Instant;
import ocivaultsync.function.FunctionCalls;
import ocivaultsync.metrics.PassMetrics;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.PassOutcome;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.settings.OvsSettings;
import ocivaultsync.trigger.OciEventTrigger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks of the Terraform module that need no OCI provider (the real terraform validate, which needs one, is
 * {@link TerraformValidateTest}, opt-in): every variable typed and described, least-privilege policies with documented
 * variables, and function config that the application actually reads.
 */
class TerraformModuleTest {

    static final Path MODULE = Path.of("terraform");
    static final Map<String, Object> ALL = new LinkedHashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        PrintStream out = System.out;
        // hcl4j prints its parser's progress to stdout; keep the test log readable.
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(MODULE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                Map<String, Object> doc = new HCLParser().parse(f.toFile(), "UTF-8");
                String relative = MODULE.relativize(f).toString();
                // The example and the nested configuration module are read apart from the module's own blocks.
                String prefix = relative.startsWith("examples") ? "example:"
                        : relative.startsWith("modules") ? "module:" : "";
                doc.forEach((block, value) -> {
                    if (value instanceof Map<?, ?> m) {
                        ((Map<String, Object>) ALL.computeIfAbsent(prefix + block, k -> new LinkedHashMap<>()))
                                .putAll((Map<String, Object>) m);
                    }
                });
            }
        } catch (Exception e) {
            throw new IOException("cannot parse the module", e);
        } finally {
            System.setOut(out);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> block(String... path) {
        Object o = ALL;
        for (String p : path) {
            o = ((Map<String, Object>) o).get(p);
            if (o == null) {
                return Map.of();
            }
        }
        return (Map<String, Object>) o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableIsTypedAndDescribed() {
        for (String scope : List.of("variable", "example:variable", "module:variable")) {
            Map<String, Object> vars = block(scope);
            assertFalse(scope.equals("variable") && vars.isEmpty(), "the module has variables");
            vars.forEach((name, v) -> {
                Map<String, Object> def = (Map<String, Object>) v;
                assertTrue(def.containsKey("type"), name + " has a type");
                Object description = def.get("description");
                assertTrue(description instanceof String d && d.length() > 10, name + " is described");
            });
        }
        for (String required : List.of("compartment_id", "vault_id", "key_id", "subnet_id", "image", "syncs_file",
                "fast_schedule_cron", "deep_schedule_cron", "enable_webhook", "function_memory_mb",
                "function_timeout_seconds", "settings")) {
            assertTrue(block("variable").containsKey(required), "variable " + required);
        }
    }

    /**
     * Every statement, as hcl4j renders it. The function's policy is {@code concat(local.function_statements,
     * local.manage_secrets)}: its literal statements come from the local, and its secret grants are rendered here in
     * their two forms (the whole vault, and one name condition), which {@link #theSecretGrantIsScopedByName} checks
     * against the file.
     */
    @SuppressWarnings("unchecked")
    static List<String> statements() {
        List<String> out = new ArrayList<>();
        block("resource", "oci_identity_policy").forEach((name, p) -> {
            Object s = ((Map<String, Object>) p).get("statements");
            if (name.equals("function")) {
                s = new ArrayList<>((List<Object>) block("locals").get("function_statements"));
                String manage = "Allow dynamic-group oci_identity_dynamic_group.function.name to manage "
                        + "secret-family in compartment id var.compartment_id where all {"
                        + block("locals").get("vault_secrets");
                ((List<Object>) s).add(manage + "}");
                ((List<Object>) s).add(manage + ", target.secret.name = /app-*/}");
            }
            assertTrue(s instanceof List<?> l && !l.isEmpty(), "policy " + name + " lists its statements literally");
            ((List<Object>) s).forEach(x -> out.add(String.valueOf(x)));
        });
        return out;
    }

    @Test
    void policiesAreLeastPrivilege() {
        List<String> all = statements();
        assertTrue(all.size() >= 8, "function, schedules, webhook and events grants: " + all);
        assertTrue(all.stream().anyMatch(s -> s.contains("to manage secret-family") && s.contains(
                "request.permission != 'SECRET_MOVE'")), "manage secret-family never includes SECRET_MOVE: " + all);
        assertEquals(1, all.stream().filter(s -> s.contains("secret-bundles")).count(), all.toString());
        assertTrue(all.contains("Allow dynamic-group oci_identity_dynamic_group.function.name to inspect secrets in "
                + "compartment id var.compartment_id where target.vault.id = 'var.vault_id'"), "the listing, alone");
        for (String s : all) {
            String lower = s.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("all-resources"), s);
            assertFalse(lower.contains(" in tenancy"), "nothing tenancy-wide: " + s);
            assertTrue(lower.contains(" in compartment id var.compartment_id")
                    || lower.contains(" in compartment id local.function_compartment_id"), "compartment-scoped: " + s);
            boolean dynamicGroup = s.contains("dynamic-group oci_identity_dynamic_group.function.name");
            boolean caller = s.startsWith("Allow any-user") && s.contains("request.principal.type")
                    && (s.contains("request.principal.id") || s.contains("request.resource.compartment.id"));
            boolean events = s.startsWith("Allow service cloudEvents");
            // Notifications has no variable naming one topic: the grant names the one function, as principal.
            boolean delivery = s.startsWith("Allow any-user to use ons-topics in ") && s.contains(
                    "where all {request.principal.type = 'fnfunc', request.principal.id = "
                    + "'oci_functions_function.this.id'}");
            assertTrue(dynamicGroup || caller || events || delivery,
                    "names the dynamic group, or a principal-scoped caller: " + s);
            if (dynamicGroup && !lower.contains("fn-")) {
                // hcl4j leaves the interpolated secret conditions of "where any {...}" empty; the control vault test
                // reads them from the file.
                assertTrue(s.contains(" where target.") || s.contains(" where all {target.")
                        || s.contains(" where any {"), "the function's grants carry a target condition: " + s);
            }
            if (lower.contains("secret-family")) {
                assertTrue(s.contains("target.vault.id = 'var.vault_id'"), "manages secrets of the one vault only: "
                        + s);
            }
            if (lower.contains("secret-bundles")) {
                assertTrue(s.startsWith("Allow dynamic-group oci_identity_dynamic_group.function.name to read "
                        + "secret-bundles in compartment id var.compartment_id where any {"), s);
            }
        }
    }

    /**
     * Issue 19, item 3: the function manages only the destination secrets whose names the syncs' key schemas reach
     * (target.secret.name, from the configuration module: TerraformConfigurationTest checks the conditions) and the
     * syncs' state secrets; a sync that reaches every name, or the switch, leaves one statement on the whole vault.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSecretGrantIsScopedByName() throws IOException {
        String iam = Files.readString(MODULE.resolve("iam.tf"));
        for (String needed : List.of("statements     = concat(local.function_statements, local.manage_secrets)",
                "secret_name_conditions = module.configuration.secret_name_conditions",
                "whole_vault            = !var.scope_secret_grant_by_name || contains(local.secret_name_conditions, "
                        + "\"\")",
                "vault_secrets          = \"target.vault.id = '${var.vault_id}', request.permission != 'SECRET_MOVE'\"",
                "\"Allow ${local.dg} to manage secret-family in ${local.c} where all {${local.vault_secrets}}\",",
                "] : [for condition in local.secret_name_conditions :\n    \"Allow ${local.dg} to manage "
                        + "secret-family in ${local.c} where all {${local.vault_secrets}, ${condition}}\"")) {
            assertTrue(iam.contains(needed), "iam.tf has " + needed);
        }
        assertEquals(true, ((Map<String, Object>) block("variable").get("scope_secret_grant_by_name")).get("default"));
        String configuration = Files.readString(MODULE.resolve("modules/configuration/main.tf"));
        assertTrue(configuration.contains("value       = distinct(concat([\"target.secret.name = /ovs-state-*/\"], "
                + "local.name_conditions))"), "the state secrets are granted too");
        assertTrue(Files.readString(Path.of("README.md")).contains("Use a destination vault of its own"));
        assertTrue(Files.readString(Path.of("docs/DEPLOY.md")).contains("Use a vault of its own"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFunctionConfigHoldsOnlySettingsTheApplicationReads() throws IOException {
        Map<String, Object> fn = (Map<String, Object>) block("resource", "oci_functions_function").get("this");
        assertEquals("local.function_config", String.valueOf(fn.get("config")));
        String functions = Files.readString(MODULE.resolve("functions.tf"));
        assertTrue(functions.contains("function_config = merge(var.settings, local.module_settings)"),
                "the module's own settings win");
        Map<String, Object> config = (Map<String, Object>) block("locals").get("module_settings");
        assertEquals(List.of("FN_TARGET", "OVS_CONFIG_SECRET_ID", "OVS_GRANTED_SECRET_IDS",
                "OVS_METRICS_COMPARTMENT_ID", "OVS_OCI_REGION", "OVS_OPERATOR_PRINCIPAL_IDS",
                "OVS_WEBHOOK_KEY_SECRET_IDS"),
                config.keySet().stream().sorted().toList());
        // hcl4j resolves references inside locals, so the expression is read from the file.
        assertTrue(functions.contains("OVS_OCI_REGION       = var.region"), "var.region is used");
        for (String key : config.keySet()) {
            if (key.startsWith("OVS_")) {
                assertTrue(readBy(OvsSettings.class, key.substring("OVS_".length())),
                        key + " maps onto an ovs.* setting the application reads");
            }
        }
        assertTrue(FunctionCalls.NAMES.contains(String.valueOf(config.get("FN_TARGET"))));
        assertEquals("event", config.get("FN_TARGET"));
    }

    /** Whether an environment name (after OVS_) reaches a setting of the mapping, through its groups. */
    static boolean readBy(Class<?> group, String env) {
        for (Method m : group.getDeclaredMethods()) {
            String name = m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            if (env.equals(name)) {
                return true;
            }
            if (env.startsWith(name + "_") && m.getReturnType().isInterface()
                    && m.getReturnType().getEnclosingClass() == OvsSettings.class
                    && readBy(m.getReturnType(), env.substring(name.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Issue 19, item 1: the operators are a variable of their own, written into the function's config as the setting
     * the function reads (outside the configuration secret), counted by the 4 KB precondition, and not replaceable
     * through settings; no one by default.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOperatorsComeFromTheirOwnVariableIntoTheFunctionsConfig() throws IOException {
        Map<String, Object> v = (Map<String, Object>) block("variable").get("operator_principal_ids");
        assertTrue(Files.readString(MODULE.resolve("variables.tf")).contains(
                "variable \"operator_principal_ids\" {\n  type        = list(string)"));
        assertEquals(List.of(), v.get("default"), "no one unless listed");
        String functions = Files.readString(MODULE.resolve("functions.tf"));
        assertTrue(functions.contains("OVS_OPERATOR_PRINCIPAL_IDS = join(\",\", var.operator_principal_ids)"));
        assertTrue(readBy(OvsSettings.class, "OPERATOR_PRINCIPAL_IDS"), "a setting the application reads");
        assertTrue(functions.contains("\"OVS_METRICS_COMPARTMENT_ID\", \"OVS_OPERATOR_PRINCIPAL_IDS\"])) == 0"),
                "settings cannot replace it");
        assertTrue(functions.contains("condition     = length(join(\"\", [for k, v in local.function_config : "
                + "\"${k}${v}\"])) <= 4096"), "the config-size precondition counts it with the rest");
        assertTrue(functions.contains("function_config = merge(var.settings, local.module_settings)"));
        String example = Files.readString(MODULE.resolve("examples/basic/main.tf"));
        assertTrue(example.contains("operator_principal_ids = var.operator_principal_ids"), "the example sets it");
        assertTrue(Files.readString(Path.of("docs/DEPLOY.md")).contains("operator_principal_ids"),
                "the deploy guide says where the operator's OCID goes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void schedulesPostBodiesTheEventFunctionAccepts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String which : List.of("fast", "deep")) {
            Map<String, Object> s = (Map<String, Object>) block("resource", "oci_resource_scheduler_schedule")
                    .get(which);
            Map<String, Object> params = (Map<String, Object>) ((Map<String, Object>) s.get("resources"))
                    .get("parameters");
            JsonNode body = json.readTree(String.valueOf(((List<Object>) params.get("value")).get(0)));
            assertEquals("schedule", body.get("trigger").asText());
            assertEquals(which, body.get("verify").asText());
            assertEquals("START_RESOURCE", s.get("action"));
        }
    }

    /**
     * Oracle does not list the vault secret event types: the rule uses the wildcard form OCI Events documents, so it
     * cannot be silently empty because of a guessed name, and the function accepts every type it matches.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theEventsRuleMatchesEverySecretEventByTheDocumentedWildcard() {
        Map<String, Object> types = (Map<String, Object>) block("variable").get("secret_event_types");
        assertEquals(List.of(OciEventTrigger.SECRET_EVENT_PREFIX + "*"), types.get("default"));
    }

    /**
     * By default the policies use only policy variables Oracle documents for the service they concern
     * (docs/ASSUMPTIONS.md, "IAM", lists each with its evidence); target.function.id, which no Oracle policy reference
     * lists for Functions, appears only behind restrict_invoke_grants_to_function, which is off.
     */
    @Test
    @SuppressWarnings("unchecked")
    void thePoliciesUseOnlyDocumentedVariablesByDefault() throws IOException {
        String iam = Files.readString(MODULE.resolve("iam.tf"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:request|target|resource)\\.[a-z.\\-]+"
                + "[a-z])\\b").matcher(iam);
        java.util.Set<String> used = new java.util.TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertEquals(java.util.Set.of("request.permission", "request.principal.id", "request.principal.type",
                "request.resource.compartment.id", "resource.id", "resource.type", "target.function.id",
                "target.key.id", "target.metrics.namespace", "target.secret.id", "target.secret.name",
                "target.vault.id"), used);
        String configuration = Files.readString(MODULE.resolve("modules/configuration/main.tf"));
        assertTrue(configuration.contains("\"target.secret.name = /${p[0]}*/\""), "the name conditions are built "
                + "where the syncs are read, with a variable the evidence table lists too");
        assertTrue(Files.readString(Path.of("docs/ASSUMPTIONS.md")).contains("`target.secret.name`"));
        String assumptions = Files.readString(Path.of("docs/ASSUMPTIONS.md"));
        for (String v : used) {
            assertTrue(assumptions.contains("`" + v + "`"), "docs/ASSUMPTIONS.md gives the evidence for " + v);
        }
        String code = iam.lines().filter(l -> !l.trim().startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(1, code.split("target\\.function\\.id", -1).length - 1, "one place, the optional hardening");
        assertTrue(iam.contains("this_function = \"target.function.id = '${oci_functions_function.this.id}'\""));
        assertTrue(iam.contains("only_this     = var.restrict_invoke_grants_to_function ? \" where "));
        assertTrue(iam.contains("var.restrict_invoke_grants_to_function ? \", request.principal.id = "),
                "the gateway's own OCID is hardening too");
        assertEquals(false, ((Map<String, Object>) block("variable").get("restrict_invoke_grants_to_function"))
                .get("default"));
        for (String policy : List.of("invoke", "schedules", "webhook", "events")) {
            assertEquals("local.function_compartment_id", String.valueOf(((Map<String, Object>) block("resource",
                    "oci_identity_policy").get(policy)).get("compartment_id")), policy + " lives with the function");
        }
        assertTrue(Files.readString(MODULE.resolve("functions.tf")).contains(
                "compartment_id = local.function_compartment_id"), "the application is in the function's compartment");
    }

    /** The points of issue 11, item 7, that terraform validate with the OCI provider would reject or warn about. */
    @Test
    @SuppressWarnings("unchecked")
    void whatTheProviderWouldRejectIsAbsent() throws IOException {
        Map<String, Object> spec = (Map<String, Object>) block("resource", "oci_apigateway_deployment", "webhook")
                .get("specification");
        Map<String, Object> policies = (Map<String, Object>) spec.get("request_policies");
        assertFalse(policies.containsKey("body_validation"), "body_validation exists only in a route's policies");
        Map<String, Object> rate = (Map<String, Object>) policies.get("rate_limiting");
        assertEquals("var.webhook_rate_limit_per_second", String.valueOf(rate.get("rate_in_requests_per_second")));
        assertEquals("CLIENT_IP", rate.get("rate_key"));
        assertEquals(10.0, ((Map<String, Object>) block("variable").get("webhook_rate_limit_per_second"))
                .get("default"));
        Map<String, Object> route = (Map<String, Object>) spec.get("routes");
        assertTrue(((Map<String, Object>) route.get("request_policies")).containsKey("body_validation"));

        for (String rule : List.of("secrets", "config")) {
            Map<String, Object> actions = (Map<String, Object>) ((Map<String, Object>) block("resource",
                    "oci_events_rule").get(rule)).get("actions");
            assertEquals(List.of("action"), List.copyOf(actions.keySet()), "actions { action { ... } }, not the "
                    + "deprecated nested actions");
        }
        List<String> functionGrants = List.of("oci_identity_policy.function", "oci_identity_dynamic_group.function");
        assertEquals(with("oci_identity_policy.events", functionGrants), dependsOn("oci_events_rule", "secrets"));
        assertEquals(with("oci_identity_policy.events", functionGrants), dependsOn("oci_events_rule", "config"));
        // A schedule is named by its own OCID in its policy, so it cannot wait for that policy (see iam.tf).
        assertEquals(functionGrants, dependsOn("oci_resource_scheduler_schedule", "fast"));
        assertEquals(functionGrants, dependsOn("oci_resource_scheduler_schedule", "deep"));
        assertEquals(with("oci_identity_policy.webhook", functionGrants),
                dependsOn("oci_apigateway_deployment", "webhook"));
        String iam = Files.readString(MODULE.resolve("iam.tf"));
        for (String schedule : List.of("fast", "deep")) {
            assertTrue(iam.contains("request.principal.type = 'resourceschedule', request.principal.id = "
                    + "'${oci_resource_scheduler_schedule." + schedule + "[0].id}'${local.and_only_this}}"),
                    "each schedule is granted by its own OCID: " + schedule);
        }
        assertFalse(iam.contains("request.principal.compartment.id"), "no caller is granted by compartment");
        String triggers = Files.readString(MODULE.resolve("triggers.tf"));
        assertTrue(triggers.contains("validation_mode = \"ENFORCING\""), "body_validation is enforced");
        String secrets = Files.readString(MODULE.resolve("secrets.tf"));
        String config = secrets.substring(secrets.indexOf("resource \"oci_vault_secret\" \"config\""));
        assertTrue(config.contains("condition     = var.control_vault_id == null || var.control_key_id != null"),
                "the control key check sits on a resource that always exists");

        String variables = Files.readString(MODULE.resolve("variables.tf"));
        assertTrue(variables.contains("contains([30, 60, 90, 120, 150, 180], var.log_retention_days)"));
        assertTrue(Files.readString(MODULE.resolve("functions.tf")).contains("image_digest                     = "
                + "var.image_digest"), "the image can be pinned by digest");
        String readme = Files.readString(Path.of("README.md"));
        for (String needed : List.of("Allow service faas to use virtual-network-family", "read repos",
                "image_digest", "control_vault_id", "webhook_rate_limit_per_second", "webhook_allowed_cidrs",
                "within 5 minutes")) {
            assertTrue(readme.contains(needed), "the README tells a deployer of " + needed);
        }
    }

    /**
     * Issue 19, item 7: the image runs by digest, and the webhook gateway admits only the sources the operator lists
     * (whichever subnet it runs in), per IP and in total at the rates set.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theImageRunsByDigestAndTheWebhookGatewayAdmitsOnlyListedSourcesAtBoundedRates() throws IOException {
        Map<String, Object> digest = (Map<String, Object>) block("variable").get("image_digest");
        assertFalse(digest.containsKey("default"), "image_digest is required");
        assertEquals(List.of(), ((Map<String, Object>) block("variable").get("webhook_allowed_cidrs")).get("default"),
                "no source is admitted unless listed");
        assertEquals(20.0, ((Map<String, Object>) block("variable").get("webhook_total_rate_limit_per_second"))
                .get("default"));
        assertEquals(true, ((Map<String, Object>) block("variable").get("webhook_client_token")).get("sensitive"));
        String triggers = Files.readString(MODULE.resolve("triggers.tf"));
        for (String needed : List.of("condition     = length(var.webhook_allowed_cidrs) > 0",
                "condition     = var.webhook_client_token != null",
                "condition     = length(local.gateway_subnet_open_to) == 0",
                "network_security_group_ids = [oci_core_network_security_group.webhook_gateway[0].id]",
                "token_locations = [\"request.query[ovs_client]\"]",
                "value = var.webhook_total_rate_limit_per_second",
                "deployment_id = oci_apigateway_deployment.webhook[0].id", "token = var.webhook_client_token")) {
            assertTrue(triggers.contains(needed), "triggers.tf has " + needed);
        }
        String network = Files.readString(MODULE.resolve("network.tf"));
        assertTrue(network.contains("for_each                  = var.enable_webhook ? toset(var.webhook_allowed_cidrs)"
                + " : toset([])"), "one NSG ingress rule per allowed CIDR");
        assertTrue(network.contains("vcn_id         = local.gateway_vcn_id"), "the NSG lives in the gateway's VCN, "
                + "brought or created");
        assertTrue(Files.exists(MODULE.resolve("tests/webhook_gateway.tftest.hcl")), "plan-only checks against a "
                + "mocked provider (terraform test)");
    }

    static List<String> with(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    @SuppressWarnings("unchecked")
    static List<String> dependsOn(String type, String name) {
        Object d = ((Map<String, Object>) block("resource", type).get(name)).get("depends_on");
        return d instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * The control vault: created unless given, holding the configuration and the fingerprint key, never the
     * destination; the function reads exactly its own secrets there.
     */
    @Test
    void theFunctionsOwnSecretsLiveInAControlVaultItCanOnlyRead() throws IOException {
        String secrets = Files.readString(MODULE.resolve("secrets.tf"));
        assertTrue(secrets.contains("count          = var.control_vault_id == null ? 1 : 0"), "created unless given");
        assertTrue(secrets.contains("resource \"oci_kms_vault\" \"control\""));
        assertEquals(4, secrets.split("vault_id       = local.control_vault_id", -1).length - 1,
                "the configuration, the fingerprint key, the client secret and the webhook key live in the control "
                        + "vault");
        assertFalse(secrets.contains("vault_id       = var.vault_id"), "nothing of the function's in the destination");
        assertTrue(secrets.contains("condition     = local.control_vault_id != var.vault_id"));
        assertTrue(secrets.contains("control_secret_ids = concat([oci_vault_secret.config.id], "
                + "local.referenceable_secret_ids)"));
        assertTrue(secrets.contains("referenceable_secret_ids = distinct(concat([local.fingerprint_key_secret_id, "
                + "local.infisical_client_secret_id],\n  var.infisical_client_secret_ids, local.webhook_key_secret_ids))"));
        String iam = Files.readString(MODULE.resolve("iam.tf"));
        assertTrue(iam.contains("control_secret_condition = join(\", \", [for id in local.control_secret_ids : "
                + "\"target.secret.id = '${id}'\"])"), "one condition per secret, no other");
        assertTrue(iam.contains("to read secret-bundles in ${local.c} where any {${local.control_secret_condition}}"));
        assertTrue(block("output").containsKey("control_vault_id"));
    }

    /**
     * Alerts (README, "Metrics, alerts and logs"): a topic with optional email subscriptions; alarms on the metrics the
     * function posts (their namespace, names and dimension are the application's own) and on OCI Functions' own;
     * detached invocations deliver their failures to the topic; the function may post metrics to its namespace only.
     */
    @Test
    @SuppressWarnings("unchecked")
    void alarmsOnTheSyncsMetricsAndTheFunctionsOwnReachTheTopicAndSoDoFailedRetries() throws IOException {
        assertEquals(PassMetrics.NAMESPACE, block("locals").get("metrics_namespace"),
                "the alarms and the IAM grant name the namespace the application posts to");
        // hcl4j evaluates what it can of a file on its own: its names and shape are checked here, values as text.
        assertTrue(block("resource", "oci_ons_notification_topic").containsKey("alerts"));
        Map<String, Object> email = (Map<String, Object>) block("resource", "oci_ons_subscription").get("alert_email");
        assertEquals("EMAIL", email.get("protocol"));
        assertEquals(List.of("function_errors", "function_timeouts", "sync_failing", "sync_no_success"),
                block("resource", "oci_monitoring_alarm").keySet().stream().sorted().toList());
        String text = Files.readString(MODULE.resolve("alerts.tf"));
        String[] alarms = text.split("resource \"oci_monitoring_alarm\" \"");
        assertEquals(5, alarms.length);
        for (int i = 1; i < alarms.length; i++) {
            String alarm = alarms[i].substring(0, alarms[i].indexOf("\n}\n"));
            assertTrue(alarm.matches("(?s).*\n  destinations +=  ?\\[oci_ons_notification_topic\\.alerts\\[0\\]\\.id\\]\n.*"),
                    "every alarm goes to the topic: " + alarm);
            assertTrue(alarm.matches("(?s).*\n  metric_compartment_id +=  ?var\\.compartment_id\n.*"),
                    "where OVS_METRICS_COMPARTMENT_ID sends the metrics: " + alarm);
            assertTrue(alarm.matches("(?s).*\n  is_enabled +=  ?true\n.*"), alarm);
            assertTrue(alarm.matches("(?s).*\n  count +=  ?local\\.alerts\n.*"), "off with enable_alerts: " + alarm);
        }
        assertTrue(text.contains("  topic_id       = oci_ons_notification_topic.alerts[0].id\n  protocol       = \"EMAIL\"\n"
                + "  endpoint       = var.alert_emails[count.index]"));

        String alerts = text;
        // The sync alarms: per sync, on what PassMetrics posts.
        assertTrue(alerts.contains("query                                         = \""
                + PassMetrics.CONSECUTIVE_FAILURES + "[${local.no_success_window}].groupBy(sync).max() >= "
                + "${var.alert_consecutive_failures}\""), "the Nth failing pass in a row, as the state secret counts");
        assertTrue(alerts.contains("query                                         = \""
                + PassMetrics.outcome(SyncStatus.SUCCEEDED) + "[${local.no_success_window}].groupBy(sync).absent(3d)\""),
                "no success for twice the schedule");
        assertTrue(alerts.contains("no_success_minutes = 2 * var.fast_schedule_period_minutes"));
        PassMetrics posted = PassMetrics.of("c", Trigger.SCHEDULE, SyncReport.failed("s", "x", OciCalls.NONE, 1),
                java.util.Optional.of(PassStatus.after(java.util.Optional.empty(), PassOutcome.FAILED,
                        java.util.Optional.of("x"), java.util.Optional.of(Instant.EPOCH))), Instant.EPOCH);
        assertEquals(1.0, posted.values().get(PassMetrics.CONSECUTIVE_FAILURES));
        assertTrue(posted.dimensions().containsKey("sync"));
        for (String alarm : alarms) {
            if (alarm.startsWith("sync_failing") || alarm.startsWith("sync_no_success")
                    || alarm.startsWith("function_")) {
                assertTrue(alarm.contains("${local.runbook}"), "every alarm points to the status function: " + alarm);
            }
        }
        assertTrue(alerts.contains("--body '{\\\"function\\\":\\\"status\\\"}'"), "the runbook's call");
        // OCI Functions' own metrics, for this function only.
        assertTrue(alerts.contains("FunctionResponseCount[5m]{resourceId = \\\"${oci_functions_function.this.id}\\\", "
                + "responseType = \\\"Error\\\"}.sum() > 0"));
        assertTrue(alerts.contains("FunctionExecutionDuration[5m]{resourceId = \\\"${oci_functions_function.this.id}\\\", "
                + "invokeType = \\\"Sync\\\"}.max() >= ${floor(var.function_timeout_seconds * 950)}"));
        assertTrue(alerts.contains("FunctionExecutionDuration[5m]{resourceId = \\\"${oci_functions_function.this.id}\\\", "
                + "invokeType = \\\"Detached\\\"}.max() >= ${floor(var.detached_timeout_seconds * 950)}"));
        for (String faas : List.of("function_errors", "function_timeouts")) {
            assertEquals("oci_faas", ((Map<String, Object>) block("resource", "oci_monitoring_alarm").get(faas))
                    .get("namespace"));
        }
        for (String ours : List.of("sync_failing", "sync_no_success")) {
            assertEquals(PassMetrics.NAMESPACE, ((Map<String, Object>) block("resource", "oci_monitoring_alarm")
                    .get(ours)).get("namespace"));
        }

        String functions = Files.readString(MODULE.resolve("functions.tf"));
        assertTrue(functions.contains("\n  dynamic \"failure_destination\" {\n"
                + "    for_each = var.enable_alerts ? [oci_ons_notification_topic.alerts[0].id] : []\n"
                + "    content {\n      kind     = \"NOTIFICATION\"\n      topic_id = failure_destination.value\n    }\n"
                + "  }\n"), "failed detached invocations (retries, hand-offs) go to the topic");
        assertTrue(statements().contains("Allow dynamic-group oci_identity_dynamic_group.function.name to use metrics in "
                + "compartment id var.compartment_id where target.metrics.namespace = 'local.metrics_namespace'"),
                statements().toString());
        assertTrue(block("output").containsKey("alerts_topic_id") && block("output").containsKey("alarm_ids"));
    }

    /** The variables refuse, at plan time, what OCI would refuse later (terraform plan of the variables alone). */
    @Test
    void theVariablesRefuseWhatOciWouldRefuse() throws Exception {
        Path dir = Files.createTempDirectory("ovs-tf-vars");
        Files.copy(MODULE.resolve("variables.tf"), dir.resolve("variables.tf"));
        Files.writeString(dir.resolve("alerts_variables.tf"), variableBlocks(Files.readString(MODULE.resolve(
                "alerts.tf"))));
        Files.writeString(dir.resolve("ok.tfvars"), """
                tenancy_id     = "ocid1.tenancy.oc1..aaaa"
                compartment_id = "ocid1.compartment.oc1..aaaa"
                region         = "eu-frankfurt-1"
                vault_id       = "ocid1.vault.oc1.eu-frankfurt-1.aaaa"
                key_id         = "ocid1.key.oc1.eu-frankfurt-1.aaaa"
                image          = "fra.ocir.io/ns/oci-vault-sync:0.1.0"
                """);
        if (terraform(dir, "init", "-input=false", "-no-color") == null) {
            Assumptions.abort("terraform is not installed here");
        }
        String ok = terraform(dir, "plan", "-input=false", "-no-color", "-var-file=ok.tfvars",
                "-var=image=ocir.eu-frankfurt-1.oci.oraclecloud.com/ns/oci-vault-sync:0.1.0",
                "-var=image_digest=sha256:" + "a".repeat(64), "-var=log_retention_days=90",
                "-var=operator_principal_ids=[\"ocid1.user.oc1..aaaaoperator\"]");
        assertTrue(ok.startsWith("0\n"), ok);
        String bad = terraform(dir, "plan", "-input=false", "-no-color", "-var-file=ok.tfvars",
                "-var=image=docker.io/library/oci-vault-sync:0.1.0", "-var=image_digest=latest",
                "-var=log_retention_days=45", "-var=webhook_rate_limit_per_second=0",
                "-var=webhook_allowed_cidrs=[\"everyone\"]", "-var=alert_emails=[\"ops.example.com\"]",
                "-var=fast_schedule_period_minutes=45", "-var=alert_consecutive_failures=0",
                "-var=operator_principal_ids=[\"ocid1.instance.oc1.eu-frankfurt-1.aaaa\"]");
        for (String message : List.of("image must be a tagged OCIR image", "image_digest must be sha256:",
                "log_retention_days must be 30, 60, 90, 120, 150 or 180", "webhook_rate_limit_per_second must be",
                "webhook_allowed_cidrs must be", "alert_emails must be email addresses",
                "fast_schedule_period_minutes must be a whole number from 1 to 30, or a multiple of 30 up to 720",
                "alert_consecutive_failures must be a whole number from 1 to 1000",
                "operator_principal_ids must be user OCIDs (ocid1.user.<realm>..<id>)")) {
            assertTrue(bad.replaceAll("\\s+", " ").contains(message), message + " in:\n" + bad);
        }
    }

    /** The {@code variable} blocks of a Terraform file, as text (the file's resources need the provider to plan). */
    static String variableBlocks(String tf) {
        StringBuilder out = new StringBuilder();
        int at = tf.indexOf("\nvariable \"");
        while (at >= 0) {
            int depth = 0;
            int i = tf.indexOf('{', at);
            for (; i < tf.length(); i++) {
                char c = tf.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            out.append(tf, at + 1, i + 1).append("\n\n");
            at = tf.indexOf("\nvariable \"", i);
        }
        return out.toString();
    }

    /** Exit code, a newline and the output; null when terraform is not installed. */
    static String terraform(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("terraform"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }

    @Test
    void theDocumentedOutputsExist() {
        assertEquals(List.of("alarm_ids", "alerts_topic_id", "config_secret_id", "configuration", "control_vault_id",
                "fingerprint_key_secret_id", "function_id", "infisical_client_secret_id", "invoke_endpoint",
                "log_group_id", "nat_gateway_ip", "webhook_key_secret_id", "webhook_url"),
                block("output").keySet().stream().sorted().toList());
    }

    @Test
    void terraformFmtIsClean() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("terraform", "fmt", "-check", "-recursive", "terraform")
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            Assumptions.abort("terraform is not installed here");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "terraform fmt -check -recursive terraform:\n" + out);
        assertTrue(new File("terraform/examples/basic/main.tf").exists());
    }
}
