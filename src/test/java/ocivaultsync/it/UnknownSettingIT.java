package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar refuses a setting it does not know wherever it comes from: a system property (SmallRye's own check)
 * and an {@code OVS_*} environment variable, which is how OCI Functions hands over function config and the Terraform
 * module's {@code settings} (docs/CONFIGURATION.md, "Service settings").
 */
class UnknownSettingIT {

    @Test
    void anUnknownOvsEnvironmentVariableStopsTheStartUpByName() throws Exception {
        Result r = start(List.of(), Map.of("OVS_SYNC_PARALELLISM", "4"));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("Configuration validation failed:\n\tthe environment variable "
                + "OVS_SYNC_PARALELLISM is not a setting of oci-vault-sync: every OVS_* variable must name an ovs.* "
                + "setting (docs/CONFIGURATION.md, \"Service settings\"); did you mean OVS_SYNC_PARALLELISM?\n"),
                r.output());
        assertTrue(!r.output().contains("Listening on"), "never listened: " + r.output());
    }

    @Test
    void anUnknownPropertyStopsItTheSameWay() throws Exception {
        Result r = start(List.of("-Dovs.sync.paralellism=4"), Map.of());
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("Configuration validation failed:\n\tSRCFG00050: ovs.sync.paralellism in "
                + "SysPropConfigSource does not map to any root\n"), r.output());
    }

    /** Issue 19, item 1: an operator entry that is not a user OCID stops the start-up too, naming the setting. */
    @Test
    void anOperatorThatIsNoUserStopsTheStartUpNamingTheSetting() throws Exception {
        Result r = start(List.of(), Map.of("OVS_OPERATOR_PRINCIPAL_IDS",
                "ocid1.user.oc1..aaaa,ocid1.instance.oc1.eu-frankfurt-1.bbbb"));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS): "
                + "ocid1.instance.oc1.eu-frankfurt-1.bbbb is not a user OCID (ocid1.user.<realm>..<id>); only users "
                + "may be operators"), r.output());
        assertTrue(!r.output().contains("Listening on"), "never listened: " + r.output());
    }

    record Result(int exit, String output) {
    }

    static Result start(List<String> props, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.JAVA, "-Dquarkus.http.port=0",
                "-Dovs.oci.warm-up=false", "-Dovs.config=syncs: []"));
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Path log = Files.createTempFile("ovs-unknown-setting", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OVS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        // A jar that accepted the setting would listen and never end by itself.
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertTrue(ended, "the jar started although it should have refused the setting:\n" + out);
        return new Result(p.exitValue(), out);
    }
}
