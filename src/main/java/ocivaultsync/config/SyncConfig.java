package ocivaultsync.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The whole configuration: the fingerprint key and the syncs, validated. */
public record SyncConfig(SecretRef fingerprintKey, List<SyncDefinition> syncs) {

    public SyncConfig {
        syncs = List.copyOf(syncs);
    }

    public Optional<SyncDefinition> sync(String name) {
        return syncs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Every OCI Vault secret the configuration refers to (fingerprint key, client secrets, webhook keys): secrets the
     * product depends on, which no sync may adopt, update or delete.
     */
    public Set<String> referencedSecretIds() {
        Set<String> ids = new LinkedHashSet<>();
        add(ids, fingerprintKey);
        for (SyncDefinition s : syncs) {
            if (s.source() instanceof InfisicalSourceConfig inf) {
                if (inf.auth() != null) {
                    add(ids, inf.auth().clientSecret());
                }
                inf.webhookSigningKey().ifPresent(ref -> add(ids, ref));
            }
        }
        return ids;
    }

    private static void add(Set<String> ids, SecretRef ref) {
        if (ref instanceof SecretRef.VaultSecret v) {
            ids.add(v.secretId());
        }
    }
}
