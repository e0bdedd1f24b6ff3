package ocivaultsync.emulator;

/**
 * A ListSecrets query, parsed by the HTTP layer: filters, order, page size (null: the configured size) and the
 * offset the page token carried.
 */
public record SecretQuery(String compartmentId, String vaultId, String name, SecretState lifecycleState,
        boolean byName, boolean ascending, Integer limit, int offset) {

    /** Every secret of a compartment (and vault), newest first, as a caller that gives no options gets them. */
    public static SecretQuery all(String compartmentId, String vaultId, String name, int offset) {
        return new SecretQuery(compartmentId, vaultId, name, null, false, false, null, offset);
    }
}
