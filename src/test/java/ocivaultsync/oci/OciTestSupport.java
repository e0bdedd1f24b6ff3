package ocivaultsync.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.reconcile.Destination;

/** The adapter pointed at an emulator: its options, clients signing with the emulator's key, and its vault. */
final class OciTestSupport {

    private OciTestSupport() {
    }

    static OciOptions options(EmulatorFixture f, OciOptions.AuthMode mode, OciOptions.ApiKey key, String configFile,
            String profile, Optional<String> rpVersion) {
        String e = f.emulator.endpoint();
        return new OciOptions(mode, Optional.of("eu-frankfurt-1"), Optional.of(e), Optional.of(e),
                Optional.of(e), configFile, profile, key, 2, Duration.ofMillis(50), Duration.ofSeconds(2),
                Duration.ofSeconds(5), rpVersion);
    }

    /**
     * Clients signing with the emulator's trusted API key, given by the {@code ovs.oci.api-key.*} settings (no OCI
     * config file); the private key is written to {@code dir}.
     */
    static OciClients apiKeyClients(EmulatorFixture f, Path dir) throws IOException {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, f.key.privateKeyPem());
        return new OciClients(options(f, OciOptions.AuthMode.API_KEY, new OciOptions.ApiKey(
                Optional.of(EmulatorFixture.TENANCY), Optional.of(EmulatorFixture.USER), Optional.empty(),
                Optional.of(key.toString()), Optional.empty(), Optional.of("eu-frankfurt-1")), "x", "DEFAULT",
                Optional.empty()));
    }

    /** The emulator's vault, compartment and key as a sync's destination. */
    static Destination destination(EmulatorFixture f) {
        return new Destination("eu-frankfurt-1", f.compartmentId(), f.vaultId(), f.keyId());
    }
}
