package ocivaultsync.reconcile;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the product's tags claim, signed under the fingerprint key (docs/ARCHITECTURE.md, "Ownership claims"). Anyone
 * who may tag a secret can write {@code ovs_sync=app}; only the function can write the {@code ovs_claim} that goes
 * with it. So a secret is a sync's own only when its claim verifies, and a state secret says what a sync is for only
 * when its claim covers exactly what it says:
 *
 * <ul>
 * <li>a value secret's claim signs the sync, the secret's name and its source key ({@code ovs_key});</li>
 * <li>a state secret's claim signs the sync, its name and every tag of its record (mode, generation, operation, open
 * work, force, deep check, initial run), so an edited tag voids it.</li>
 * </ul>
 * A claim verifies under the current fingerprint key or, during a rotation, the previous one (a pass then writes it
 * again under the current key). Pure: no I/O; the keys never print.
 */
public final class Claims {

    private static final String VALUE_PURPOSE = "ovs-claim-v1";
    private static final String STATE_PURPOSE = "ovs-state-v1";
    private static final Pattern TAG = Pattern.compile("^v1:([0-9a-f]{8}):([A-Za-z0-9_-]{32})$");

    /** The state tags a state secret's claim covers, in the order they are signed. */
    static final List<String> STATE_TAGS = List.of(OwnershipTags.MODE, OwnershipTags.GEN, OwnershipTags.OP,
            OwnershipTags.OPEN, OwnershipTags.FORCE, OwnershipTags.VERIFY, OwnershipTags.INITIAL,
            OwnershipTags.INITIAL_SINCE);

    private final FingerprintKey current;
    private final Optional<FingerprintKey> previous;

    private Claims(FingerprintKey current, Optional<FingerprintKey> previous) {
        this.current = current;
        this.previous = previous.filter(p -> !p.id().equals(current.id()));
    }

    /** Claims under {@code current} only. */
    public static Claims of(FingerprintKey current) {
        return new Claims(current, Optional.empty());
    }

    /** Claims made under {@code current}; those made under {@code previous} (a rotation) still verify. */
    public static Claims of(FingerprintKey current, Optional<FingerprintKey> previous) {
        return new Claims(current, previous);
    }

    /** The current key's id: fingerprints under another key are compared by reading the value. */
    public String keyId() {
        return current.id();
    }

    /** The fingerprint of {@code value} as {@code sync} holds it under the source key {@code key}. */
    public Fingerprint fingerprint(String sync, String key, SecretValue value) {
        return value.fingerprint(current, sync, key);
    }

    /** The tags the product writes with a value: owner, source key, fingerprint, and the claim over them. */
    public Map<String, String> valueTags(String sync, String name, String key, Fingerprint fp) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(OwnershipTags.SYNC, sync);
        tags.put(OwnershipTags.KEY, key);
        tags.put(OwnershipTags.FINGERPRINT, fp.tag());
        tags.put(OwnershipTags.CLAIM, tag(current, current.mac(VALUE_PURPOSE, b(sync), b(name), b(key))));
        return Map.copyOf(tags);
    }

    /** Whether {@code s} is {@code sync}'s own: its tags name the sync and their claim verifies. */
    public boolean owns(DestinationSecret s, String sync) {
        return names(s, sync) && verifiesValue(s, sync);
    }

    /**
     * Whether {@code s} names {@code sync} as its owner without a claim that verifies: tagged by someone else (or
     * under a fingerprint key this function no longer has). Never updated, deleted or adopted; reported.
     */
    public boolean claimsFalsely(DestinationSecret s, String sync) {
        return names(s, sync) && !verifiesValue(s, sync);
    }

    /** {@code tags}, a state secret's, with the claim over its record (any earlier claim replaced). */
    public Map<String, String> signState(String sync, String name, Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.put(OwnershipTags.CLAIM, tag(current, current.mac(STATE_PURPOSE, stateParts(sync, name, tags))));
        return Map.copyOf(out);
    }

    /** Whether a state secret's claim covers its name and record as they are. */
    public boolean verifiesState(DestinationSecret s) {
        String sync = s.freeformTags().get(OwnershipTags.STATE);
        return sync != null && verifies(s.freeformTags().get(OwnershipTags.CLAIM), STATE_PURPOSE,
                stateParts(sync, s.name(), s.freeformTags()));
    }

    /** Whether a claim was made under the current key (else it is written again under it). */
    public boolean underCurrentKey(Map<String, String> tags) {
        Matcher m = TAG.matcher(tags.getOrDefault(OwnershipTags.CLAIM, ""));
        return m.matches() && m.group(1).equals(current.id());
    }

    private static boolean names(DestinationSecret s, String sync) {
        return sync.equals(s.freeformTags().get(OwnershipTags.SYNC)) && !s.isStateSecret();
    }

    private boolean verifiesValue(DestinationSecret s, String sync) {
        String key = s.freeformTags().get(OwnershipTags.KEY);
        return key != null && verifies(s.freeformTags().get(OwnershipTags.CLAIM), VALUE_PURPOSE, b(sync), b(s.name()),
                b(key));
    }

    private boolean verifies(String claim, String purpose, byte[]... parts) {
        Matcher m = claim == null ? null : TAG.matcher(claim);
        if (m == null || !m.matches()) {
            return false;
        }
        Optional<FingerprintKey> key = m.group(1).equals(current.id()) ? Optional.of(current)
                : previous.filter(p -> p.id().equals(m.group(1)));
        return key.isPresent() && MessageDigest.isEqual(b(key.get().mac(purpose, parts)), b(m.group(2)));
    }

    /** The sync, the name, then each covered tag present as {@code name=value}: an absent tag signs as absent. */
    private static byte[][] stateParts(String sync, String name, Map<String, String> tags) {
        List<byte[]> parts = new java.util.ArrayList<>(List.of(b(sync), b(name)));
        for (String t : STATE_TAGS) {
            if (tags.containsKey(t)) {
                parts.add(b(t + "=" + tags.get(t)));
            }
        }
        return parts.toArray(byte[][]::new);
    }

    private static String tag(FingerprintKey key, String mac) {
        return "v1:" + key.id() + ":" + mac;
    }

    private static byte[] b(String s) {
        return FingerprintKey.utf8(s);
    }

    @Override
    public String toString() {
        return "Claims[key=" + current.id() + previous.map(p -> ", previous=" + p.id()).orElse("") + "]";
    }
}
