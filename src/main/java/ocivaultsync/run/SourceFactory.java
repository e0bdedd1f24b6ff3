package ocivaultsync.run;

import java.time.Instant;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.source.SecretSource;

/** Opens the source of a sync; waits inside it (rate limits) never go past the run's deadline. */
@FunctionalInterface
public interface SourceFactory {
    SecretSource open(SyncDefinition sync, Instant deadline);
}
