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
    /** {@code v2:<key id>:<hmac>} of the value last written; lets a fast pass skip every bundle read. */
    public static final String FINGERPRINT = "ovs_fp";
    /**
     * {@code v1:<key id>:<hmac>} over what the other tags claim ({@link Claims}): without it, or when it does not
     * verify, the tags are someone else's writing and the secret is never this product's.
     */
    public static final String CLAIM = "ovs_claim";
    /**
     * On a sync's state secret (see {@link SyncRecord}): the sync whose state it holds. A secret with this tag is never
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
    /** On a state secret: what every pass reconciles toward, {@code active} or {@code removed} ({@link Mode}). */
    public static final String MODE = "ovs_mode";
    /** On a state secret: how many manual operations it has recorded; each one increments it with if-match. */
    public static final String GEN = "ovs_gen";
    /** On a state secret: the last manual operation, as the functions name it. */
    public static final String OP = "ovs_op";
    /** On a state secret: {@code true} while the last manual operation's work is unfinished. */
    public static final String OPEN = "ovs_open";
    /** On a state secret: {@code true} while an open operation approved the deletions the guard withholds. */
    public static final String FORCE = "ovs_force";
    /** On a state secret: {@code deep} while an open operation asked for a deep pass. */
    public static final String VERIFY = "ovs_verify";
    /**
     * On a state secret: the outcome of the sync's last pass as its report's status says it ({@code SUCCEEDED},
     * {@code PARTIAL}, {@code DEFERRED} or {@code FAILED}); written by passes only, and only when it changes
     * ({@code report.PassStatus}).
     */
    public static final String STATUS = "ovs_status";
    /** On a state secret: since when the last outcome holds, epoch milliseconds by OCI's clock. */
    public static final String STATUS_SINCE = "ovs_status_since";
    /** On a state secret: how many passes in a row failed (FAILED or PARTIAL); 0 once one does not. */
    public static final String FAILURES = "ovs_failures";
    /** On a state secret, while passes fail: the first failing reason of the last one, redacted and short. */
    public static final String REASON = "ovs_reason";

    private OwnershipTags() {
    }

    /**
     * The tags to write over a secret that has {@code existing}: OCI replaces the whole map on update, so other
     * people's tags are written back with ours on top.
     */
    public static Map<String, String> overlay(Map<String, String> existing, Map<String, String> ours) {
        Map<String, String> tags = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        tags.putAll(ours);
        return Map.copyOf(tags);
    }
}
