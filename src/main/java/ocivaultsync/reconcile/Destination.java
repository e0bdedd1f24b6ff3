package ocivaultsync.reconcile;

/** Where a sync writes (F2): the vault, the compartment its secrets live in, and the key that encrypts new ones. */
public record Destination(String region, String compartmentId, String vaultId, String keyId) {
}
