package ocivaultsync.reconcile;

import java.util.Locale;

/**
 * What a planned change does to one name. The executor branches on the action alone; {@link Reason} is for reports.
 *
 * <table>
 * <caption>before / after of each action</caption>
 * <tr><th>action</th><th>destination before</th><th>after</th></tr>
 * <tr><td>CREATE</td><td>no secret with the name</td><td>a secret with the source value and our tags</td></tr>
 * <tr><td>UPDATE</td><td>an ACTIVE secret we own or adopt</td><td>the source value (a new version) and our tags, or
 *     only our tags when the value already matches</td></tr>
 * <tr><td>DELETE</td><td>an ACTIVE secret we own or adopt; no desired value</td><td>PENDING_DELETION after the
 *     configured delay</td></tr>
 * <tr><td>RESTORE</td><td>PENDING_DELETION, desired again</td><td>deletion cancelled; the value is written on a later
 *     pass once ACTIVE</td></tr>
 * <tr><td>IMPORT</td><td>an ACTIVE secret the source lacks (or loses to, per the behaviour)</td><td>its value written
 *     into the source, the secret adopted (tags only)</td></tr>
 * <tr><td>NONE</td><td>equal fingerprints, or nothing we may do</td><td>unchanged</td></tr>
 * </table>
 */
public enum Action {
    CREATE, UPDATE, NONE, DELETE, RESTORE, IMPORT;

    /** Whether carrying it out writes to the vault or the source. */
    public boolean isMutation() {
        return this != NONE;
    }

    /** The key of this action in the report's {@code counts}. */
    public String countKey() {
        return name().toLowerCase(Locale.ROOT);
    }
}
