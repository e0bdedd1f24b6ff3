package ocivaultsync.reconcile;

/** The vault a sync writes to: compartment, vault, the key for new secrets, and its region. */
public record VaultTarget(String region, String compartmentId, String vaultId, String keyId) {
}
