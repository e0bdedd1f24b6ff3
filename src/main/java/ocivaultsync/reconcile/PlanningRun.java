package ocivaultsync.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One planning pass over a {@link Planner.Input}: the input indexed by name, whether the run is initial, and the
 * bundle reads the decisions asked for.
 *
 * <p>Its own class because the sync rules ({@link Planner}), the import rules ({@link ImportPlanner}) and the remove
 * rules ({@link RemovalPlanner}) must see one and the same view of the vault: which secret holds a name, how it stands
 * to the sync, and what reading it showed. Keeping that view here is what lets {@link Planner#bundlesToRead} and
 * {@link Planner#plan} run the same decision code and never disagree about which reads matter.
 */
final class PlanningRun {

    /** How a destination secret stands to the sync. */
    enum Relation {
        /** It carries this sync's tags, under a claim that verifies. */
        OWNED,
        /**
         * It carries this sync's tags, but their claim does not verify: someone else wrote them (or under a
         * fingerprint key this function no longer has). Never touched, and reported.
         */
        FALSE_CLAIM,
        /** Untagged, its name fits the schema and the run is initial: the sync may adopt it. */
        ADOPTABLE,
        /** Another sync's, an untagged one after the initial run, or the product's own: never touched. */
        FOREIGN
    }

    private static final BundleObservation NOT_READ = new BundleObservation.Unreadable("not read");

    final SyncPolicy policy;
    private final Planner.Input input;
    final boolean initial;
    /** While an initial run is pending, when it began: untagged secrets created later are not its to decide. */
    final Optional<Instant> initialSince;
    private final Map<String, BundleObservation> observed;
    private final boolean recordOnly;
    /** The bundles the decisions asked for, each with the source key its value is compared under. */
    private final Map<String, String> requested = new LinkedHashMap<>();
    private final Map<String, List<SourceEntry>> desired = new TreeMap<>();
    private final Map<String, List<DestinationSecret>> secrets = new TreeMap<>();

    /**
     * @param recordOnly      only note which bundles the decisions need (every read counts as not done)
     * @param initialOverride whether the run is initial, when the caller knows better than the listing; else null
     */
    PlanningRun(Planner.Input input, Map<String, BundleObservation> observed, boolean recordOnly,
            Boolean initialOverride) {
        this.input = input;
        this.policy = input.policy();
        this.observed = observed;
        this.recordOnly = recordOnly;
        Map<String, DestinationSecret> byId = new LinkedHashMap<>();
        for (DestinationSecret s : input.destination()) {
            byId.putIfAbsent(s.id(), s); // a listing that shifted between pages can repeat an item
        }
        this.initialSince = input.record().initialSince();
        this.initial = initialOverride != null ? initialOverride
                : Planner.isInitial(policy, List.copyOf(byId.values()), input.record());
        for (DestinationSecret s : byId.values()) {
            if (s.isStateSecret()) {
                continue; // never a managed secret, whoever's state it holds, not even by a remove
            }
            secrets.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        for (SourceEntry e : input.source()) {
            desired.computeIfAbsent(policy.nameFor(e.key()), n -> new ArrayList<>()).add(e);
        }
    }

    /** The bundle reads the decisions so far asked for: secret id → the source key its value is fingerprinted under. */
    Map<String, String> requested() {
        return Map.copyOf(requested);
    }

    /** The source entries that map to {@code name}: more than one is a collision. */
    List<SourceEntry> desired(String name) {
        return desired.getOrDefault(name, List.of());
    }

    /** The names the source has entries for, in order. */
    Set<String> desiredNames() {
        return desired.keySet();
    }

    /** The names the vault's secrets (state secrets aside) hold, in order. */
    Set<String> secretNames() {
        return secrets.keySet();
    }

    /** The secrets holding {@code name} that are not DELETED: more than one makes the name ambiguous. */
    List<DestinationSecret> liveSecrets(String name) {
        return secrets.getOrDefault(name, List.of()).stream().filter(s -> s.state() != LifecycleState.DELETED)
                .toList();
    }

    /**
     * The secret that decides a name: the live one when there is one (a DELETED secret of this sync must not let a
     * live secret of someone else under the same name be treated as this sync's), else a deleted one, else null.
     */
    DestinationSecret holder(String name) {
        List<DestinationSecret> candidates = secrets.getOrDefault(name, List.of());
        return candidates.stream().filter(s -> s.state() != LifecycleState.DELETED).findFirst()
                .orElse(candidates.isEmpty() ? null : candidates.get(0));
    }

    /**
     * For each name held by exactly one live secret, that secret, in name order (the rest are deleted or ambiguous).
     */
    List<DestinationSecret> soleLiveHolders() {
        List<DestinationSecret> out = new ArrayList<>();
        for (String name : secrets.keySet()) {
            List<DestinationSecret> live = liveSecrets(name);
            if (live.size() == 1) {
                out.add(live.get(0));
            }
        }
        return out;
    }

    /** Where each of several source entries for one name came from, for the collision's message. */
    static String origins(List<SourceEntry> entries) {
        return entries.stream().map(e -> e.key() + " from " + e.origin()).sorted().collect(Collectors.joining(", "));
    }

    /** The live secrets this sync manages or may adopt: the guard's measure of the managed set. */
    int managedLive() {
        return (int) secrets.values().stream().flatMap(List::stream)
                .filter(s -> (relation(s) == Relation.OWNED || relation(s) == Relation.ADOPTABLE)
                        && s.state().isLive()).count();
    }

    /** Whether the source returned any secret with a value. */
    boolean sourceHasValues() {
        return input.source().stream().anyMatch(e -> !e.isEmpty());
    }

    Relation relation(DestinationSecret s) {
        if (isProtected(s)) {
            return Relation.FOREIGN;
        }
        if (policy.owns(s)) {
            return Relation.OWNED;
        }
        if (policy.claims().claimsFalsely(s, policy.sync())) {
            return Relation.FALSE_CLAIM;
        }
        return adoptable(s) ? Relation.ADOPTABLE : Relation.FOREIGN;
    }

    /** Whether this run is initial and {@code s} is within its reach ({@link #inInitialReach}). */
    boolean adoptable(DestinationSecret s) {
        return initial && inInitialReach(policy, s, initialSince);
    }

    /**
     * Whether an initial run may adopt, import or delete {@code s}: untagged, not the product's own, its name fits
     * the key schema, and (while an initial run is pending) created before that run began. The one rule behind the
     * sync, import and state-secret decisions, so they never disagree about which secrets an initial run reaches.
     */
    static boolean inInitialReach(SyncPolicy p, DestinationSecret s, Optional<Instant> initialSince) {
        return s.ownerSync().isEmpty() && !s.isStateSecret() && !SyncRecord.isStateName(s.name())
                && !p.protectedSecretIds().contains(s.id()) && p.keyFor(s.name()).isPresent()
                && SyncRecord.withinInitialReach(s, initialSince);
    }

    boolean isProtected(DestinationSecret s) {
        return policy.protectedSecretIds().contains(s.id());
    }

    /** Whether the tag of {@code s} is not to be trusted: a deep pass, or an OCI event on the secret. */
    boolean deep(DestinationSecret s) {
        return policy.verify() == Verify.DEEP || policy.deepSecretIds().contains(s.id());
    }

    /**
     * What reading the bundle of {@code s} showed, fingerprinted as this sync would hold it under {@code key}; on a
     * recording run, notes the read and says "not read".
     */
    BundleObservation observe(DestinationSecret s, String key) {
        if (recordOnly) {
            requested.put(s.id(), key);
            return NOT_READ;
        }
        BundleObservation seen = observed.get(s.id());
        return seen != null ? seen : NOT_READ;
    }

    static String unreadable(BundleObservation seen) {
        return seen instanceof BundleObservation.Unreadable u ? u.reason() : "not read";
    }

    /** The source key {@code s} holds: its {@code ovs_key} tag, else its name reversed through the schema. */
    String keyOf(DestinationSecret s) {
        if (s == null || s.isStateSecret()) {
            return null;
        }
        return s.keyTag().or(() -> policy.keyFor(s.name())).orElse(null);
    }

    /**
     * Our tags for a write of {@code fp} into {@code name} under {@code key}, with their claim (the executor writes
     * them over the secret's others).
     */
    Map<String, String> tags(String name, String key, Fingerprint fp) {
        return policy.claims().valueTags(policy.sync(), name, key, fp);
    }

    /** A secret that claims to be this sync's without a claim that verifies: left alone, and said so. */
    PlannedChange falseClaim(DestinationSecret s) {
        return PlannedChange.skipped(s.freeformTags().get(OwnershipTags.KEY), s.name(), Action.NONE, s.id(),
                Reason.FALSE_CLAIM, "never updated, deleted or adopted", null);
    }

    // The three import helpers serve the import rules and the initial sync alike: the import behaviours of an
    // initial run take the destination's value exactly as an explicit import does.

    /** The import of the value {@code s} holds, when its bundle reads; a failure when it does not. */
    PlannedChange readAndImport(String key, DestinationSecret s, Reason reason) {
        BundleObservation seen = observe(s, key);
        return seen instanceof BundleObservation.Read r ? importChange(key, s, r.fingerprint(), reason)
                : importUnreadable(key, s, seen);
    }

    /** An import that failed because the bundle of {@code s} could not be read. */
    PlannedChange importUnreadable(String key, DestinationSecret s, BundleObservation seen) {
        return PlannedChange.failed(key, s.name(), Action.IMPORT, s.id(), Reason.UNREADABLE, unreadable(seen));
    }

    /** The import of the value {@code s} holds into the source, the secret adopted under {@code key}. */
    PlannedChange importChange(String key, DestinationSecret s, Fingerprint destinationValue, Reason reason) {
        return PlannedChange.importToSource(key, s.name(), s.id(), tags(s.name(), key, destinationValue),
                reason);
    }
}
