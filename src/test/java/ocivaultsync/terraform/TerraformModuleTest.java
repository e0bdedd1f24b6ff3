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
import ocivaultsync.function.FunctionHandlers;
import ocivaultsync.settings.OvsSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks of the Terraform module that need no OCI provider (terraform validate cannot run offline): every variable
 * typed and described, least-privilege policies, and function config that the application actually reads.
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
                String prefix = MODULE.relativize(f).toString().startsWith("examples") ? "example:" : "";
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
        for (String scope : List.of("variable", "example:variable")) {
            Map<String, Object> vars = block(scope);
            assertFalse(scope.equals("variable") && vars.isEmpty(), "the module has variables");
            vars.forEach((name, v) -> {
                Map<String, Object> def = (Map<String, Object>) v;
                assertTrue(def.containsKey("type"), name + " has a type");
                Object description = def.get("description");
                assertTrue(description instanceof String d && d.length() > 10, name + " is described");
            });
        }
        for (String required : List.of("compartment_id", "vault_id", "key_id", "subnet_id", "image", "config_file",
                "fast_schedule_cron", "deep_schedule_cron", "enable_webhook", "function_memory_mb",
                "function_timeout_seconds")) {
            assertTrue(block("variable").containsKey(required), "variable " + required);
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> statements() {
        List<String> out = new ArrayList<>();
        block("resource", "oci_identity_policy").forEach((name, p) -> {
            Object s = ((Map<String, Object>) p).get("statements");
            assertTrue(s instanceof List<?> l && !l.isEmpty(), "policy " + name + " lists its statements literally");
            ((List<Object>) s).forEach(x -> out.add(String.valueOf(x)));
        });
        return out;
    }

    @Test
    void policiesAreLeastPrivilege() {
        List<String> all = statements();
        assertTrue(all.size() >= 8, "function, schedules, webhook and events grants: " + all);
        for (String s : all) {
            String lower = s.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("all-resources"), s);
            assertFalse(lower.contains(" in tenancy"), "nothing tenancy-wide: " + s);
            assertTrue(lower.contains(" in compartment id var.compartment_id"), "compartment-scoped: " + s);
            boolean dynamicGroup = s.contains("dynamic-group oci_identity_dynamic_group.function.name");
            boolean caller = s.startsWith("Allow any-user") && s.contains("request.principal.type")
                    && s.contains("request.principal.id") && s.contains("target.function.id");
            boolean events = s.startsWith("Allow service cloudEvents") && s.contains("target.function.id");
            assertTrue(dynamicGroup || caller || events, "names the dynamic group, or a principal-scoped caller: " + s);
            if (dynamicGroup) {
                assertTrue(s.contains(" where target."), "the function's grants carry a target condition: " + s);
            }
            if (lower.contains("secret")) {
                assertTrue(s.contains("target.vault.id = 'var.vault_id'"), "secrets of the one vault only: " + s);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFunctionConfigHoldsOnlySettingsTheApplicationReads() {
        Map<String, Object> fn = (Map<String, Object>) block("resource", "oci_functions_function").get("this");
        Map<String, Object> config = (Map<String, Object>) fn.get("config");
        assertEquals(List.of("FN_TARGET", "OVS_CONFIG_SECRET_ID"), config.keySet().stream().sorted().toList());
        for (String key : config.keySet()) {
            if (key.startsWith("OVS_")) {
                assertTrue(readBy(OvsSettings.class, key.substring("OVS_".length())),
                        key + " maps onto an ovs.* setting the application reads");
            }
        }
        assertTrue(FunctionHandlers.NAMES.contains(String.valueOf(config.get("FN_TARGET"))));
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
        Map<String, Object> types = (Map<String, Object>) block("variable").get("secret_event_types");
        for (Object t : (List<Object>) types.get("default")) {
            assertTrue(String.valueOf(t).startsWith("com.oraclecloud.vaultsecret."), "the function accepts " + t);
        }
    }

    @Test
    void theDocumentedOutputsExist() {
        assertEquals(List.of("config_secret_id", "fingerprint_key_secret_id", "function_id", "invoke_endpoint",
                "log_group_id", "webhook_url"), block("output").keySet().stream().sorted().toList());
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
