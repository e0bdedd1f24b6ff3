package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builders for planner inputs: a valid baseline plus small modifiers (as ESO's store test cases). */
public final class Fixtures {

    static final FingerprintKey KEY = FingerprintKey.of("fixture-fingerprint-key-0123456789abcdef");
    static final FingerprintKey OLD_KEY = FingerprintKey.of("an-older-fingerprint-key-0123456789abcdef");
    public static final String SYNC = "app-prod";
    static final String ENV = "prod";

    private Fixtures() {
    }

    /** The claims of the fixtures' syncs: made under {@link #KEY}; those under {@link #OLD_KEY} still verify. */
    static final Claims CLAIMS = Claims.of(KEY, Optional.of(OLD_KEY));

    /** The fingerprint of {@code value} as {@link #SYNC} holds it under {@code key}. */
    static Fingerprint fp(String key, String value) {
        return fp(SYNC, key, value);
    }

    static Fingerprint fp(String sync, String key, String value) {
        return KEY.fingerprint(sync, key, value.getBytes(StandardCharsets.UTF_8));
    }

    public static SourceEntry entry(String key, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new SourceEntry(key, bytes.length == 0 ? null : fp(key, value), bytes.length, "/", "7");
    }

    static SourceEntry sized(String key, int size) {
        return new SourceEntry(key, fp(key, "x".repeat(size)), size, "/", null);
    }

    /**
     * A listed secret. Tags that name an owner and a key, or a sync's state, get the claim this product would have
     * written with them, unless they carry an {@code ovs_claim} of their own (a forged one, say).
     */
    public static DestinationSecret secret(String id, String name, LifecycleState state, Map<String, String> tags) {
        return new DestinationSecret(id, name, state, signed(name, tags), null);
    }

    /** {@code tags} with the claim this product would write with them (see {@link #secret}). */
    public static Map<String, String> signed(String name, Map<String, String> tags) {
        if (tags.containsKey(OwnershipTags.CLAIM)) {
            return tags;
        }
        if (tags.containsKey(OwnershipTags.STATE)) {
            return CLAIMS.signState(tags.get(OwnershipTags.STATE), name, tags);
        }
        if (tags.containsKey(OwnershipTags.SYNC) && tags.containsKey(OwnershipTags.KEY)) {
            Map<String, String> out = new HashMap<>(tags);
            out.put(OwnershipTags.CLAIM, CLAIMS.valueTags(tags.get(OwnershipTags.SYNC), name,
                    tags.get(OwnershipTags.KEY), fp("x", "x")).get(OwnershipTags.CLAIM));
            return Map.copyOf(out);
        }
        return tags;
    }

    /** The tags of {@code sync}'s state secret with the initial run pending or done. */
    public static Map<String, String> stateTags(String sync, boolean pending, Optional<java.time.Instant> since) {
        return SyncRecord.absent().withInitial(pending, since).tagsFor(sync);
    }

    /** Tags of a secret this sync wrote with {@code value}. */
    public static Map<String, String> owned(String key, String value) {
        return Map.of(OwnershipTags.SYNC, SYNC, OwnershipTags.KEY, key, OwnershipTags.FINGERPRINT,
                fp(key, value).tag());
    }

    static Map<String, String> ownedBy(String sync, String key, String value) {
        return Map.of(OwnershipTags.SYNC, sync, OwnershipTags.KEY, key, OwnershipTags.FINGERPRINT,
                fp(sync, key, value).tag());
    }

    /** What reading each secret the planner asks for (for {@code op}) shows: its value in {@code valuesById}. */
    static Map<String, BundleObservation> reads(Planner.Input in, Operation op, Map<String, String> valuesById) {
        Map<String, BundleObservation> out = new HashMap<>();
        Planner.bundlesToRead(in, op).forEach((id, key) -> {
            String v = valuesById.get(id);
            if (v != null) {
                out.put(id, new BundleObservation.Read(fp(in.policy().sync(), key, v)));
            }
        });
        return out;
    }

    /** A policy with every option at its default, changed by {@code with…}. */
    public record Policy(String sync, Optional<KeySchema> schema, InitialSyncBehavior behavior, boolean f6, int delay,
            DeletionGuard guard, boolean force, Verify verify, Set<String> deepIds, Set<String> protectedIds) {

        public static Policy defaults() {
            return new Policy(SYNC, Optional.empty(), InitialSyncBehavior.OVERWRITE_DESTINATION, false, 30,
                    DeletionGuard.DEFAULT, false, Verify.FAST, Set.of(), Set.of());
        }

        Policy schema(String template) {
            return new Policy(sync, Optional.ofNullable(template).map(KeySchema::parse), behavior, f6, delay, guard,
                    force, verify, deepIds, protectedIds);
        }

        Policy behavior(InitialSyncBehavior b) {
            return new Policy(sync, schema, b, f6, delay, guard, force, verify, deepIds, protectedIds);
        }

        Policy f6(boolean on) {
            return new Policy(sync, schema, behavior, on, delay, guard, force, verify, deepIds, protectedIds);
        }

        Policy guard(int maxPercent, int minCount) {
            return new Policy(sync, schema, behavior, f6, delay, new DeletionGuard(maxPercent, minCount), force,
                    verify, deepIds, protectedIds);
        }

        Policy force(boolean on) {
            return new Policy(sync, schema, behavior, f6, delay, guard, on, verify, deepIds, protectedIds);
        }

        Policy deep() {
            return new Policy(sync, schema, behavior, f6, delay, guard, force, Verify.DEEP, deepIds, protectedIds);
        }

        Policy deepIds(String... ids) {
            return new Policy(sync, schema, behavior, f6, delay, guard, force, verify, Set.of(ids), protectedIds);
        }

        Policy protect(String... ids) {
            return new Policy(sync, schema, behavior, f6, delay, guard, force, verify, deepIds, Set.of(ids));
        }

        SyncPolicy build() {
            return new SyncPolicy(sync, ENV, schema, behavior, f6, delay, guard, force, verify, deepIds, CLAIMS,
                    protectedIds);
        }
    }

    public static Planner.Input input(Policy p, List<SourceEntry> source, List<DestinationSecret> destination) {
        return new Planner.Input(p.build(), source, destination);
    }

    /** Plans with every read the planner asks for answered from {@code values} (id → destination value). */
    static Plan plan(Planner.Input in, Map<String, String> values) {
        Map<String, BundleObservation> seen = new HashMap<>();
        Planner.bundlesToRead(in).forEach((id, key) -> {
            String v = values.get(id);
            seen.put(id, v == null ? new BundleObservation.Unreadable("NotAuthorizedOrNotFound")
                    : new BundleObservation.Read(fp(in.policy().sync(), key, v)));
        });
        return Planner.plan(in, seen);
    }
}
