package ocivaultsync.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The freeform tags that carry all the state this product keeps (docs/ARCHITECTURE.md, 'Reconcile rules'): which sync
 * owns a secret, which source
 * key it holds, and the fingerprint of the value it was last given.
 */
public final class OwnershipTags {

    /** Name of the sync that owns the secret. A secret without it is never updated or deleted after the initial run. */
    public static final String SYNC = "ovs_sync";
    /** The source key the secret holds (names can be reversed through the key schema, but schemas change). */
    public static final String KEY = "ovs_key";
    /** {@code v1:<key id>:<hmac>} of the value last written; lets a fast pass skip every bundle read. */
    public static final String FINGERPRINT = "ovs_fp";
    /**
     * On a sync's state secret (see {@link SyncState}): the sync whose state it holds. A secret with this tag is never
     * a managed secret of any sync: never adopted, counted, updated or deleted by a pass.
     */
    public static final String STATE = "ovs_state";
    /** On a state secret: {@code pending} while the sync's initial run has decisions outstanding, else {@code done}. */
    public static final String INITIAL = "ovs_initial";
    /**
     * On a state secret while the initial run is pending: when it began, epoch milliseconds. Later passes of that
     * initial run adopt, import or delete only untagged secrets created before it.
     */
    public static final String INITIAL_SINCE = "ovs_initial_since";
    /** On a state secret: the sync's latest explicit (manual) operation, as retry messages name it. */
    public static final String OP = "ovs_op";
    /** On a state secret: when that operation's run started, epoch milliseconds. */
    public static final String OP_AT = "ovs_op_at";

    private OwnershipTags() {
    }

    /**
     * The tags to write with a value: the secret's existing freeform tags (other people's tags survive, since OCI
     * replaces the whole map on update) with ours set on top.
     */
    public static Map<String, String> merged(Map<String, String> existing, String sync, String key, Fingerprint fp) {
        Map<String, String> tags = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        tags.put(SYNC, sync);
        tags.put(KEY, key);
        tags.put(FINGERPRINT, fp.tag());
        return Map.copyOf(tags);
    }
}
