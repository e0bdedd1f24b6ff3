package ocivaultsync.reconcile;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A keyed digest of a secret value as one sync holds it under one source key, kept in the {@code ovs_fp} tag:
 * {@code v2:<key id>:<hmac>}.
 *
 * <p>It reveals nothing about the value without the fingerprint key, not even whether two secrets hold the same value
 * (it binds the sync and the key too), and it is what a fast pass compares instead of reading bundles. The key id lets a pass notice that the fingerprint key was rotated (docs/ARCHITECTURE.md,
 * 'Reconcile rules': key id differs →
 * read the bundle and compare).
 */
public record Fingerprint(String keyId, String mac) {

    /** What the HMAC of a fingerprint starts with, so no other MAC the product makes can pass for one. */
    static final String PURPOSE = "ovs-fp-v2";
    private static final Pattern TAG = Pattern.compile("^v2:([0-9a-f]{8}):([A-Za-z0-9_-]{32})$");

    public Fingerprint {
        if (!keyId.matches("[0-9a-f]{8}") || !mac.matches("[A-Za-z0-9_-]{32}")) {
            throw new IllegalArgumentException("malformed fingerprint");
        }
    }

    /** The tag value. */
    public String tag() {
        return "v2:" + keyId + ":" + mac;
    }

    /** Reads a tag value; empty when it is absent or not a v2 fingerprint (treated like a fingerprint to refresh). */
    public static Optional<Fingerprint> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        var m = TAG.matcher(tag);
        return m.matches() ? Optional.of(new Fingerprint(m.group(1), m.group(2))) : Optional.empty();
    }

    @Override
    public String toString() {
        return tag();
    }
}
