package ocivaultsync.reconcile;

import java.util.Optional;
import java.util.regex.Pattern;

/** OCI Vault's limits that the planner enforces before any call (docs/EMULATOR.md, 'The OCI API it serves'). */
public final class VaultLimits {

    /** "The maximum allowable size for a secret bundle is 25 KB"; we count decoded bytes, the stricter reading. */
    public static final int MAX_CONTENT_BYTES = 25_600;
    /** Secret deletion window, ScheduleSecretDeletion's {@code timeOfDeletion}: 1 to 30 days from now. */
    public static final int MIN_DELETION_DAYS = 1;
    public static final int MAX_DELETION_DAYS = 30;
    /**
     * Not documented by Oracle (docs/ASSUMPTIONS.md). A guess: a longer name reaches OCI and fails there, loudly,
     * as that secret's FAILED result with OCI's own code.
     */
    public static final int MAX_NAME_LENGTH = 255;

    /** Letters, digits, hyphen, underscore and period (CreateSecretDetails.secretName). */
    static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9_.-]+");

    private VaultLimits() {
    }

    /** Why a name is not a valid OCI secret name, or empty when it is. */
    static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("an OCI secret name cannot be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("an OCI secret name has at most " + MAX_NAME_LENGTH + " characters (this one has "
                    + name.length() + ")");
        }
        if (!NAME_CHARS.matcher(name).matches()) {
            return Optional.of("an OCI secret name may only contain letters, digits, '-', '_' and '.'");
        }
        return Optional.empty();
    }
}
