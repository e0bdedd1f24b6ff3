package ocivaultsync.config;

import java.util.Optional;
import ocivaultsync.reconcile.Destination;

/** One sync (F7): a name, a source, a destination and options. */
public record SyncDefinition(String name, Optional<String> description, SourceConfig source, Destination destination,
        SyncOptions options) {
}
