package ocivaultsync.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code terraform validate} of the module and of every example, against the OCI provider's own schema:
 * {@code ./mvnw -B test -Pterraform-validate} (docs/REAL-SERVICES.md, "A real terraform validate"). The provider comes
 * from the folder named by {@code ovs.terraform.provider-dir} (a {@code terraform-provider-oci} binary, used through a
 * {@code dev_overrides} CLI configuration, so nothing is downloaded), or, with {@code ovs.terraform.provider-dir=registry},
 * from the Terraform registry as {@code terraform init} fetches it. Without the property (plain {@code verify}) it is
 * skipped: these checks need a provider, {@link TerraformModuleTest} the ones that do not.
 *
 * <p>Errors and warnings both fail it: a warning is a deprecated argument the next provider may refuse.
 */
@EnabledIfSystemProperty(named = TerraformValidateTest.PROVIDER_DIR, matches = ".+")
class TerraformValidateTest {

    static final String PROVIDER_DIR = "ovs.terraform.provider-dir";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    @Test
    void theModuleAndEveryExampleValidateAgainstTheOciProvider() throws Exception {
        // A copy, so that .terraform folders and lock files never land in the repository; the layout is kept, so an
        // example's source = "../.." still points at the module.
        Path module = scratch.resolve("module");
        copy(TerraformModuleTest.MODULE, module);
        Map<String, String> env = environment();
        List<Path> dirs = new ArrayList<>(List.of(module));
        try (Stream<Path> examples = Files.list(module.resolve("examples"))) {
            examples.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        String provider = "";
        for (Path dir : dirs) {
            String where = module.relativize(dir).toString().isEmpty() ? "terraform/" : "terraform/"
                    + module.relativize(dir);
            if (System.getProperty(PROVIDER_DIR).equals("registry")) {
                Run init = terraform(dir, env, "init", "-backend=false", "-input=false", "-no-color");
                assertEquals(0, init.exit(), where + ": terraform init\n" + init.out());
            } else if (callsAModule(dir)) {
                Run get = terraform(dir, env, "get", "-no-color"); // local module sources need no network
                assertEquals(0, get.exit(), where + ": terraform get\n" + get.out());
            }
            Run validate = terraform(dir, env, "validate", "-json", "-no-color");
            JsonNode result = JSON.readTree(validate.out().substring(Math.max(0, validate.out().indexOf('{'))));
            List<String> diagnostics = new ArrayList<>();
            int warnings = 0;
            for (JsonNode d : result.path("diagnostics")) {
                if (d.path("summary").asText().startsWith("Provider development overrides are in effect")) {
                    continue; // the CLI's note that the provider comes from ovs.terraform.provider-dir
                }
                warnings += d.path("severity").asText().equals("warning") ? 1 : 0;
                diagnostics.add(d.path("severity").asText() + ": " + d.path("summary").asText() + " ("
                        + d.path("range").path("filename").asText() + ":"
                        + d.path("range").path("start").path("line").asText() + ") " + d.path("detail").asText());
            }
            System.out.printf("[terraform-validate] %s: valid=%s, %d error(s), %d warning(s)%n", where,
                    result.path("valid").asBoolean(), result.path("error_count").asInt(), warnings);
            diagnostics.forEach(d -> System.out.println("[terraform-validate]   " + d));
            assertTrue(result.path("valid").asBoolean(), where + " is valid: " + diagnostics);
            assertEquals(0, warnings, where + " has no warning: " + diagnostics);
            provider = terraform(dir, env, "version", "-no-color").out().lines()
                    .filter(l -> l.contains("oracle/oci") || l.contains("hashicorp/oci")).findFirst().orElse(provider);
        }
        System.out.println("[terraform-validate] " + terraform(module, env, "version", "-no-color").out().lines()
                .findFirst().orElse("") + "; provider: " + providerVersion(provider));
    }

    /** The CLI configuration: the provider from its folder (dev_overrides), or the registry. */
    private Map<String, String> environment() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1"));
        String dir = System.getProperty(PROVIDER_DIR);
        if (!dir.equals("registry")) {
            Path bin = Path.of(dir).toAbsolutePath();
            assertTrue(Files.isExecutable(bin.resolve("terraform-provider-oci")), "no terraform-provider-oci in " + bin
                    + " (docs/REAL-SERVICES.md, \"A real terraform validate\")");
            Path rc = scratch.resolve("terraformrc");
            Files.writeString(rc, "provider_installation {\n  dev_overrides {\n    \"oracle/oci\" = \"" + bin
                    + "\"\n    \"hashicorp/oci\" = \"" + bin + "\"\n  }\n  direct {}\n}\n");
            env.put("TF_CLI_CONFIG_FILE", rc.toString());
        }
        return env;
    }

    private String providerVersion(String fromTerraformVersion) throws IOException {
        String dir = System.getProperty(PROVIDER_DIR);
        Path version = dir.equals("registry") ? null : Path.of(dir, "PROVIDER_VERSION");
        if (version != null && Files.exists(version)) {
            return Files.readString(version).trim() + " (" + dir + ")";
        }
        return fromTerraformVersion.isBlank() ? "from " + dir : fromTerraformVersion.trim();
    }

    private static boolean callsAModule(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".tf")).toList()) {
                if (Files.readString(f, StandardCharsets.UTF_8).contains("module \"")) {
                    return true;
                }
            }
        }
        return false;
    }

    private record Run(int exit, String out) {
    }

    private static Run terraform(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("terraform"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "terraform " + String.join(" ", args) + " finished");
        return new Run(p.exitValue(), out);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().contains(".terraform")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
