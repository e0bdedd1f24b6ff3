package ocivaultsync.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.OciVaultEmulator;
import ocivaultsync.settings.OvsSettings;
import org.jboss.logging.Logger;

/**
 * The dev service of {@code ./mvnw quarkus:dev}: starts the OCI Vault emulator on 127.0.0.1, port
 * {@code ovs.dev.emulator-port} (9801; application.properties points the dev profile's OCI endpoints at the same
 * setting), with its vault and key, trusts a throwaway API key written to {@code target/dev/}, and copies the sample
 * secrets file there, so the whole product runs on a laptop with no OCI account. The emulator's state lasts as long
 * as the dev process (a live reload starts it afresh).
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevEmulator {

    private static final Logger LOG = Logger.getLogger(DevEmulator.class);

    @Inject
    OvsSettings settings;

    private OciVaultEmulator emulator;

    /**
     * First of all start-up observers: the API key file must hold this start's key before the OCI clients are built
     * ({@code ClientWarmUp} builds them at {@code LIBRARY_BEFORE} and reads the key file once); a key left in
     * {@code target/dev/} by an earlier run would sign every call with a key the new emulator does not trust.
     */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) throws IOException {
        int port = settings.dev().emulatorPort();
        String keyFile = settings.oci().apiKey().privateKeyFile().orElse("target/dev/oci_api_key.pem");
        String tenancy = settings.oci().apiKey().tenancyId().orElseThrow();
        String user = settings.oci().apiKey().userId().orElseThrow();
        String sampleSecrets = settings.dev().sampleSecrets();
        emulator = new OciVaultEmulator(EmulatorOptions.defaults().withPort(port));
        emulator.start();
        ApiKeys.ApiKey key = ApiKeys.generate();
        Path pem = Path.of(keyFile);
        Files.createDirectories(pem.toAbsolutePath().getParent());
        Files.writeString(pem, key.privateKeyPem(), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        emulator.signer().trust(key.keyId(tenancy, user), key.publicKeyPem());
        Path secrets = Path.of(sampleSecrets);
        if (!Files.exists(secrets)) {
            Files.createDirectories(secrets.toAbsolutePath().getParent());
            try (InputStream in = getClass().getResourceAsStream("/dev/secrets.yaml")) {
                Files.copy(in, secrets);
            }
        }
        LOG.infof("OCI Vault emulator on %s, vault %s, key %s; sample secrets in %s", emulator.endpoint(),
                emulator.vault().identity().vaultId(), emulator.vault().identity().keyId(), secrets);
    }

    void stop(@Observes ShutdownEvent event) {
        if (emulator != null) {
            emulator.close();
        }
    }
}
