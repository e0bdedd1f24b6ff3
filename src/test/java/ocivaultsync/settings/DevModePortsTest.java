package ocivaultsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dev mode's OCI endpoints follow {@code ovs.dev.emulator-port} (README, "Try it locally"): the dev profile of
 * application.properties, read as Quarkus reads it, with the port left alone and moved.
 */
class DevModePortsTest {

    static SmallRyeConfig devProfile(Map<String, String> commandLine) throws IOException {
        URL properties = DevModePortsTest.class.getResource("/application.properties");
        return new SmallRyeConfigBuilder().withProfile("dev").withMapping(OvsSettings.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(commandLine, "command line", 400)).build();
    }

    @Test
    void theEndpointsUseTheDefaultPort() throws IOException {
        OvsSettings.Oci oci = devProfile(Map.of()).getConfigMapping(OvsSettings.class).oci();
        assertEquals("http://127.0.0.1:9801", oci.vaultsEndpoint().orElseThrow());
        assertEquals("http://127.0.0.1:9801", oci.secretsEndpoint().orElseThrow());
        assertEquals("http://127.0.0.1:9801", oci.functionsEndpoint().orElseThrow());
    }

    @Test
    void theEndpointsFollowAMovedEmulatorPort() throws IOException {
        OvsSettings s = devProfile(Map.of("ovs.dev.emulator-port", "9811")).getConfigMapping(OvsSettings.class);
        assertEquals(9811, s.dev().emulatorPort());
        assertEquals("http://127.0.0.1:9811", s.oci().vaultsEndpoint().orElseThrow());
        assertEquals("http://127.0.0.1:9811", s.oci().secretsEndpoint().orElseThrow());
        assertEquals("http://127.0.0.1:9811", s.oci().functionsEndpoint().orElseThrow());
    }
}
