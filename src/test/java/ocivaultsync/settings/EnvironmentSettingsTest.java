package ocivaultsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unknown OVS_* environment variables stop the start-up, named, like an unknown ovs.* property. */
class EnvironmentSettingsTest {

    static final EnvironmentSettings.Known KNOWN = EnvironmentSettings.known();

    @Test
    void everySettingHasItsEnvironmentName() {
        for (String name : List.of("OVS_CONFIG", "OVS_CONFIG_FILE", "OVS_CONFIG_SECRET_ID", "OVS_SYNC_PARALLELISM",
                "OVS_SYNC_FAN_OUT_BELOW", "OVS_OCI_API_KEY_TENANCY_ID", "OVS_OCI_REGION", "OVS_WEBHOOK_KEY_SECRET_IDS",
                "OVS_ALLOW_SHARED_VAULT", "OVS_DEV_EMULATOR_PORT")) {
            assertTrue(KNOWN.contains(name), name);
        }
        assertTrue(KNOWN.contains("OVS_WEBHOOK_KEY_SECRET_IDS_0_"), "a list setting by index, as SmallRye reads it");
        assertEquals("OVS_OCI_API_KEY_PRIVATE_KEY_FILE", EnvironmentSettings.envName("ovs.oci.api-key.private-key-file"));
    }

    @Test
    void otherVariablesAndKnownOnesPass() {
        EnvironmentSettings.refuseUnknown(List.of("PATH", "HOME", "FN_FORMAT", "FN_LISTENER", "OVS_CONFIG",
                "OVS_SYNC_PARALLELISM", "ovs_lower_case_is_not_ours", "QUARKUS_HTTP_PORT"), KNOWN);
    }

    @Test
    void aTypoIsRefusedByNameWithTheSettingItMostLikelyMeant() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> EnvironmentSettings.refuseUnknown(List.of("PATH", "OVS_SYNC_PARALELLISM"), KNOWN));
        assertEquals("Configuration validation failed:\n\tthe environment variable OVS_SYNC_PARALELLISM is not a "
                + "setting of oci-vault-sync: every OVS_* variable must name an ovs.* setting (docs/CONFIGURATION.md, "
                + "\"Service settings\"); did you mean OVS_SYNC_PARALLELISM?", e.getMessage());
    }

    @Test
    void everyUnknownVariableIsNamedInOrderAndAFarOneGetsNoGuess() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> EnvironmentSettings.refuseUnknown(List.of("OVS_WEBHOOK_KEYS", "OVS_CONFIG_SECRETID"), KNOWN));
        assertEquals(2, e.getProblemCount());
        assertEquals("the environment variable OVS_CONFIG_SECRETID is not a setting of oci-vault-sync: every OVS_* "
                + "variable must name an ovs.* setting (docs/CONFIGURATION.md, \"Service settings\"); did you mean "
                + "OVS_CONFIG_SECRET_ID?", e.getProblem(0).getMessage());
        assertEquals("the environment variable OVS_WEBHOOK_KEYS is not a setting of oci-vault-sync: every OVS_* "
                + "variable must name an ovs.* setting (docs/CONFIGURATION.md, \"Service settings\")",
                e.getProblem(1).getMessage());
    }
}
