package ocivaultsync.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.EmulatedVault;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorOptions;

/**
 * For {@code @QuarkusTest}s: an emulator with a trusted key, a configuration file with one file-source sync, and the
 * settings that point the application at them. Tests reach the emulator through its admin API at
 * {@code test.ovs.emulator-url}, and rewrite {@code test.ovs.config-file} / {@code test.ovs.secrets-file} as needed.
 */
public class EmulatorResource implements QuarkusTestResourceLifecycleManager {

    private EmulatorFixture fixture;

    @Override
    public Map<String, String> start() {
        fixture = new EmulatorFixture(EmulatorOptions.defaults());
        try {
            Path dir = Files.createTempDirectory("ovs-quarkus-test");
            Path key = dir.resolve("oci_api_key.pem");
            Files.writeString(key, fixture.key.privateKeyPem());
            Path secrets = dir.resolve("secrets.yaml");
            Files.writeString(secrets, "DB_PASS: hunter2-canary\nAPI_KEY: api-canary\n");
            Path config = dir.resolve("ovs.yaml");
            Files.writeString(config, extraSyncs(config(secrets)).yaml());
            String e = fixture.emulator.endpoint();
            return Map.ofEntries(Map.entry("ovs.config-file", config.toString()),
                    Map.entry("ovs.allow-inline-secrets", "true"),
                    // The test Infisical servers listen on the loopback address: listed, as an operator would.
                    Map.entry("ovs.infisical.allowed-hosts", "127.0.0.1,localhost"),
                    Map.entry("ovs.oci.auth", "api-key"),
                    Map.entry("ovs.oci.region", "eu-frankfurt-1"),
                    Map.entry("ovs.oci.api-key.tenancy-id", EmulatorFixture.TENANCY),
                    Map.entry("ovs.oci.api-key.user-id", EmulatorFixture.USER),
                    Map.entry("ovs.oci.api-key.private-key-file", key.toString()),
                    Map.entry("ovs.oci.api-key.region", "eu-frankfurt-1"),
                    Map.entry("ovs.oci.vaults-endpoint", e), Map.entry("ovs.oci.secrets-endpoint", e),
                    Map.entry("ovs.oci.functions-endpoint", e), Map.entry("ovs.oci.monitoring-endpoint", e),
                    Map.entry("test.ovs.emulator-url", e), Map.entry("test.ovs.config-file", config.toString()),
                    Map.entry("test.ovs.secrets-file", secrets.toString()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The running emulator (from {@link #start()} on). */
    protected EmulatorFixture fixture() {
        return fixture;
    }

    /** More syncs for tests that need them. */
    protected ConfigBuilder extraSyncs(ConfigBuilder config) {
        return config;
    }

    /** Two syncs of one secrets file into the emulator's vault: {@code app}, and {@code manual-only} (no autoSync). */
    static ConfigBuilder config(Path secrets) {
        return ConfigBuilder.withFingerprintKey("quarkus-test-fingerprint-key-0123456789").wholeVaultWithoutKeySchema()
                .eachSync(s -> s.fileSource(secrets).destination(EmulatedVault.Identity.defaults()))
                .sync("app", s -> s.deletionGuard(100, 0))
                .sync("manual-only", s -> s.keySchema("manual-{{secretKey}}").autoSync(false));
    }

    @Override
    public void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }
}
