package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sync's state secret: one small secret per sync, kept only while the sync's initial run has decisions outstanding
 * (and then marked done), so a stateless function finds the state where every pass already looks, in the listing.
 * Its tags say whose state it is ({@link OwnershipTags#STATE}) and whether the initial run is still pending
 * ({@link OwnershipTags#INITIAL}); its value holds nothing secret. See README, "How a sync decides".
 */
public final class SyncState {

    public static final String PENDING = "pending";
    public static final String DONE = "done";

    private SyncState() {
    }

    /** The state secret's name: fixed per sync, so two containers never create two. */
    public static String nameFor(String sync) {
        return "ovs-state-" + sync;
    }

    public static Map<String, String> tags(String sync, boolean pending) {
        return Map.of(OwnershipTags.STATE, sync, OwnershipTags.INITIAL, pending ? PENDING : DONE);
    }

    /** OCI stores no empty secret: the value says what the secret is for, nothing more. */
    public static SecretValue value(String sync) {
        return SecretValue.of(("state of oci-vault-sync sync " + sync).getBytes(StandardCharsets.UTF_8));
    }

    /** The sync's state secret in a listing, if it has one that is not on its way out. */
    public static Optional<DestinationSecret> find(String sync, List<DestinationSecret> listing) {
        return listing.stream().filter(s -> s.isStateOf(sync))
                .filter(s -> s.state() != LifecycleState.DELETED && s.state() != LifecycleState.PENDING_DELETION
                        && s.state() != LifecycleState.DELETING && s.state() != LifecycleState.SCHEDULING_DELETION)
                .findFirst();
    }

    /** Whether the listing says the sync's initial run still has decisions outstanding. */
    public static boolean initialPending(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(s -> PENDING.equals(s.freeformTags().get(OwnershipTags.INITIAL)))
                .orElse(false);
    }
}
