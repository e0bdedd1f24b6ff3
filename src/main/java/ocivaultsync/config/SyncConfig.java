package ocivaultsync.config;

import java.util.List;
import java.util.Optional;

/** The whole configuration: the fingerprint key and the syncs, validated. */
public record SyncConfig(SecretRef fingerprintKey, List<SyncDefinition> syncs) {

    public SyncConfig {
        syncs = List.copyOf(syncs);
    }

    public Optional<SyncDefinition> sync(String name) {
        return syncs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
