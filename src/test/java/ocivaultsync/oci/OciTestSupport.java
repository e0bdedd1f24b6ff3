package ocivaultsync.oci;

import java.time.Duration;
import java.util.Optional;
import ocivaultsync.emulator.EmulatorFixture;

/** Options pointing the adapter at an emulator. */
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
}
