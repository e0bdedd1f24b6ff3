package ocivaultsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings as the container reads them at start-up: a mapping over the configuration sources. */
class OvsSettingsTest {

    static SmallRyeConfig config(Map<String, String> properties) {
        // Quarkus's own converter reads durations such as "5m", as in the running container.
        return new SmallRyeConfigBuilder().withMapping(OvsSettings.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void theRequeueModeIsReadInLowerCaseAndDefaultsToAuto() {
        assertEquals(OvsSettings.RequeueMode.AUTO, config(Map.of()).getConfigMapping(OvsSettings.class).requeue()
                .mode());
        assertEquals(OvsSettings.RequeueMode.LOCAL, config(Map.of("ovs.requeue.mode", "local"))
                .getConfigMapping(OvsSettings.class).requeue().mode());
        assertEquals(OvsSettings.RequeueMode.OFF, config(Map.of("ovs.requeue.mode", "off"))
                .getConfigMapping(OvsSettings.class).requeue().mode());
    }

    @Test
    void anUnknownRequeueModeFailsStartUpNamingTheSettingAndTheAllowedValues() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> config(Map.of("ovs.requeue.mode", "sometimes")));
        String message = e.getMessage();
        assertTrue(message.contains("ovs.requeue.mode"), message);
        assertTrue(message.contains("sometimes"), message);
        assertTrue(message.contains("allowed values: auto,function,local,off"), message);
    }

    @Test
    void theInfisicalHostsDefaultToInfisicalCloudAndSecretsAreReadAgainAfterFiveMinutes() {
        OvsSettings s = config(Map.of()).getConfigMapping(OvsSettings.class);
        assertEquals(java.util.List.of("app.infisical.com", "us.infisical.com", "eu.infisical.com"),
                s.infisical().allowedHosts());
        assertEquals(java.time.Duration.ofMinutes(5), s.secretCacheTtl());
        assertEquals(java.time.Duration.ofHours(1), s.webhookKeyRotationGrace());
        OvsSettings self = config(Map.of("ovs.infisical.allowed-hosts", "infisical.corp.example,10.0.0.0/16"))
                .getConfigMapping(OvsSettings.class);
        assertEquals(java.util.List.of("infisical.corp.example", "10.0.0.0/16"), self.infisical().allowedHosts());
    }
}
