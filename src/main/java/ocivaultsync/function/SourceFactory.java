package ocivaultsync.function;

import ocivaultsync.config.SyncDefinition;
import ocivaultsync.source.SecretSource;

/** Opens the source of a sync. */
@FunctionalInterface
public interface SourceFactory {
    SecretSource open(SyncDefinition sync);
}
