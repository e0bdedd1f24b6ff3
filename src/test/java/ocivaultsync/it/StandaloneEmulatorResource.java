package ocivaultsync.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatedVault;

/**
 * Starts the emulator the way a user would, as its own process from the packaged application
 * ({@code java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' ocivaultsync.emulator.Main}), trusting a
 * freshly generated API key, and points the packaged application at it.
 */
public class StandaloneEmulatorResource implements QuarkusTestResourceLifecycleManager {

    static final String TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
    static final String USER = "ocid1.user.oc1..itestuser";
    /** The emulator's URL, for tests to check its state through the admin API. */
    static volatile String endpoint;
    private Process emulator;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("ovs-it");
            ApiKeys.ApiKey key = ApiKeys.generate();
            Path priv = dir.resolve("oci_api_key.pem");
            Path pub = dir.resolve("oci_api_key_public.pem");
            Files.writeString(priv, key.privateKeyPem());
            Files.writeString(pub, key.publicKeyPem());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = "target/quarkus-app/app/*" + File.pathSeparator + "target/quarkus-app/lib/main/*";
            emulator = new ProcessBuilder(java, "-cp", cp, "ocivaultsync.emulator.Main", "--port", String.valueOf(port),
                    "--page-size", "3", "--trust-key-id", key.keyId(TENANCY, USER), "--trust-public-key", pub.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("oci-vault-emulator listening")) {
                // skip start-up noise
            }
            if (line == null) {
                throw new IllegalStateException("the standalone emulator did not start");
            }
            Path secrets = dir.resolve("secrets.env");
            Files.writeString(secrets, "# an .env source\nDB_PASS=it-canary-value\nexport API_KEY='it-canary-key'\n");
            Path config = dir.resolve("ovs.yaml");
            Files.writeString(config, ConfigBuilder.withFingerprintKey("integration-test-fingerprint-key-0123456789")
                    .sync("it", s -> s.fileSource(secrets).environment("it")
                            .destination(EmulatedVault.Identity.defaults()).keySchema("{{environment}}-{{secretKey}}"))
                    .yaml());
            String e = "http://127.0.0.1:" + port;
            endpoint = e;
            return Map.ofEntries(Map.entry("ovs.config-file", config.toString()),
                    Map.entry("ovs.allow-inline-secrets", "true"),
                    Map.entry("ovs.operator-principal-ids", Processes.OPERATOR),
                    Map.entry("ovs.infisical.allowed-hosts", "127.0.0.1,localhost"),
                    Map.entry("ovs.oci.auth", "api-key"),
                    Map.entry("ovs.oci.api-key.tenancy-id", TENANCY),
                    Map.entry("ovs.oci.api-key.user-id", USER),
                    Map.entry("ovs.oci.api-key.private-key-file", priv.toString()),
                    Map.entry("ovs.oci.api-key.region", "eu-frankfurt-1"),
                    Map.entry("ovs.oci.vaults-endpoint", e), Map.entry("ovs.oci.secrets-endpoint", e),
                    Map.entry("ovs.oci.functions-endpoint", e), Map.entry("ovs.oci.monitoring-endpoint", e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.destroy();
            try {
                emulator.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
