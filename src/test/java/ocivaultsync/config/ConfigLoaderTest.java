package ocivaultsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String SECRET_ID = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaconfig";
    final List<String> reads = new ArrayList<>();
    final ConfigLoader loader = new ConfigLoader(new ConfigParser(false), id -> {
        reads.add(id);
        return ConfigParserTest.VALID;
    });

    @Test
    void readsInlineConfiguration() {
        SyncConfig c = loader.load(ConfigLoader.Location.of(ConfigParserTest.VALID, null, null));
        assertEquals(2, c.syncs().size());
        assertEquals(List.of(), reads);
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ovs.yaml");
        Files.writeString(f, ConfigParserTest.VALID);
        assertEquals(2, loader.load(ConfigLoader.Location.of(null, f.toString(), "")).syncs().size());
        assertEquals("OVS_CONFIG_FILE: " + dir.resolve("missing.yaml") + " does not exist",
                assertThrows(ConfigException.class, () -> loader.load(
                        ConfigLoader.Location.of(null, dir.resolve("missing.yaml").toString(), null))).getMessage());
    }

    @Test
    void readsAVaultSecretThroughTheSeam() {
        assertEquals(2, loader.load(ConfigLoader.Location.of(null, null, SECRET_ID)).syncs().size());
        assertEquals(List.of(SECRET_ID), reads);
        assertEquals("OVS_CONFIG_SECRET_ID: must be a vault secret OCID (ocid1.vaultsecret.<realm>.<region>.<id>)",
                assertThrows(ConfigException.class,
                        () -> loader.load(ConfigLoader.Location.of(null, null, "my-config"))).getMessage());
    }

    @Test
    void exactlyOneLocationMustBeSet() {
        assertEquals("configuration: set exactly one of OVS_CONFIG, OVS_CONFIG_FILE or OVS_CONFIG_SECRET_ID "
                + "(none is set)", assertThrows(ConfigException.class,
                        () -> loader.load(ConfigLoader.Location.of(null, " ", null))).getMessage());
        assertEquals("configuration: set exactly one of OVS_CONFIG, OVS_CONFIG_FILE or OVS_CONFIG_SECRET_ID "
                + "(OVS_CONFIG and OVS_CONFIG_SECRET_ID are set)", assertThrows(ConfigException.class,
                        () -> loader.load(ConfigLoader.Location.of("x", null, SECRET_ID))).getMessage());
        assertEquals(List.of(), reads, "nothing is read when the settings conflict");
    }
}
