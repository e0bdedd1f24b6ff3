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

    /**
     * The sync's state secret in a listing, in any state but DELETED (a marker a remove scheduled for deletion is
     * still the record: the next sync cancels its deletion), an ACTIVE one first.
     */
    public static Optional<DestinationSecret> find(String sync, List<DestinationSecret> listing) {
        return listing.stream().filter(s -> s.isStateOf(sync) && s.state() != LifecycleState.DELETED)
                .min(java.util.Comparator.comparing(s -> s.state() != LifecycleState.ACTIVE));
    }

    /**
     * A secret that holds the state secret's name without being this sync's state secret (a user's own secret of
     * that name, say): never adopted nor overwritten; the sync's initial run fails until it is renamed or deleted.
     */
    public static Optional<DestinationSecret> squatter(String sync, List<DestinationSecret> listing) {
        String name = nameFor(sync);
        return listing.stream().filter(s -> name.equals(s.name()) && !s.isStateOf(sync)
                && s.state() != LifecycleState.DELETED).findFirst();
    }

    /**
     * Whether the listing says the sync's initial run still has decisions outstanding. Only {@code pending} and
     * {@code done} are values; anything else (an edit by hand) is read as not pending.
     */
    public static boolean initialPending(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(s -> PENDING.equals(s.freeformTags().get(OwnershipTags.INITIAL)))
                .orElse(false);
    }

    /** The marker's value when it is neither {@code pending} nor {@code done} (to warn about), else empty. */
    public static Optional<String> unknownValue(String sync, List<DestinationSecret> listing) {
        return find(sync, listing).map(s -> s.freeformTags().get(OwnershipTags.INITIAL))
                .filter(v -> !PENDING.equals(v) && !DONE.equals(v));
    }
}
