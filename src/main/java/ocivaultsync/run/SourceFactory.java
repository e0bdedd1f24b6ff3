package ocivaultsync.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import ocivaultsync.config.FileSourceConfig;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.file.FileSource;
import ocivaultsync.source.infisical.InfisicalSources;

/** Opens the source of a sync; waits inside it (rate limits) never go past the run's deadline. */
@FunctionalInterface
public interface SourceFactory {
    SecretSource open(SyncDefinition sync, Instant deadline);

    /**
     * The product's one wiring of a sync's source configuration to a source: the CDI producer and the end-to-end
     * harness both use it, so a test runs the sources exactly as production opens them.
     *
     * @param infisical the container's Infisical clients (one HTTP client and token per machine identity)
     * @param secrets   reads a secret the configuration refers to (the machine identity's client secret), only when
     *                  a login needs it, afresh from OCI Vault (a stale copy would cost a failed login)
     */
    static SourceFactory wire(InfisicalSources infisical, Function<SecretRef, String> secrets) {
        return (sync, deadline) -> {
            if (sync.source() instanceof FileSourceConfig file) {
                return new FileSource(Path.of(file.path()));
            }
            InfisicalSourceConfig inf = (InfisicalSourceConfig) sync.source();
            return infisical.open(inf, () -> secrets.apply(inf.auth().clientSecret()), deadline);
        };
    }
}
