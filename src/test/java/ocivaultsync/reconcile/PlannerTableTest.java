package ocivaultsync.reconcile;

import static ocivaultsync.reconcile.Fixtures.entry;
import static ocivaultsync.reconcile.Fixtures.owned;
import static ocivaultsync.reconcile.Fixtures.ownedBy;
import static ocivaultsync.reconcile.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/ARCHITECTURE.md, 'Reconcile rules' per-name table, every cell: destination state (absent and each lifecycle
 * state) × source (a value, no
 * key, an empty value) × relation (owned, untagged on the initial run or later, another sync's) × initial sync
 * behaviour × key schema on/off × F6 on/off × destination value equal/different.
 *
 * <p>{@link #expected} restates the table as DESIGN writes it; the planner must agree with it in every cell.
 */
class PlannerTableTest {

    enum Source { VALUE, ABSENT, EMPTY }

    /** FORGED: tagged as this sync's by someone else (its claim does not verify). */
    enum Relation { OWNED, UNTAGGED_INITIAL, UNTAGGED_LATER, FOREIGN_INITIAL, FOREIGN_LATER, FORGED_INITIAL,
        FORGED_LATER }

    /** One cell; {@code state} null means no secret holds the name. */
    record Case(LifecycleState state, Source source, Relation relation, InitialSyncBehavior behavior, String schema,
            boolean f6, boolean sameValue, boolean force) {

        boolean initial() {
            return relation == Relation.UNTAGGED_INITIAL || relation == Relation.FOREIGN_INITIAL
                    || relation == Relation.FORGED_INITIAL;
        }

        boolean forged() {
            return relation == Relation.FORGED_INITIAL || relation == Relation.FORGED_LATER;
        }

        @Override
        public String toString() {
            return (state == null ? "absent" : state) + " source=" + source + " " + relation + " " + behavior.wire()
                    + " schema=" + schema + " f6=" + f6 + (sameValue ? " same" : " different")
                    + (force ? " force" : "");
        }
    }

    /** What the table says: action, status, reason, and whether the source value is written. */
    record Expect(Action action, ResultStatus status, Reason reason, boolean writesContent, boolean read) {
        static Expect of(Action a, ResultStatus s, Reason r) {
            return new Expect(a, s, r, a == Action.CREATE, false);
        }

        Expect withRead() {
            return new Expect(action, status, reason, writesContent, true);
        }

        Expect writing(boolean content) {
            return new Expect(action, status, reason, content, read);
        }
    }

    static Optional<Expect> expected(Case c) {
        boolean desired = c.source() == Source.VALUE;
        if (c.state() == null) {
            return switch (c.source()) {
                case VALUE -> Optional.of(Expect.of(Action.CREATE, ResultStatus.PLANNED, Reason.MISSING_IN_DESTINATION));
                case EMPTY -> Optional.of(Expect.of(Action.CREATE, ResultStatus.SKIPPED, Reason.EMPTY_IN_SOURCE)
                        .writing(false));
                case ABSENT -> Optional.empty();
            };
        }
        boolean owned = c.relation() == Relation.OWNED;
        boolean adoptable = c.relation() == Relation.UNTAGGED_INITIAL;
        if (!owned && !adoptable) {
            // "a desired name held by any other secret, in whatever state, is FAILED with that reason"
            return switch (c.source()) {
                case VALUE -> Optional.of(Expect.of(Action.UPDATE, ResultStatus.FAILED, Reason.NAME_HELD));
                case EMPTY -> Optional.of(Expect.of(Action.UPDATE, ResultStatus.SKIPPED, Reason.EMPTY_IN_SOURCE));
                // A secret claiming to be this sync's is reported, and left alone, even when nothing is asked of it.
                case ABSENT -> c.forged() ? Optional.of(Expect.of(Action.NONE, ResultStatus.SKIPPED, Reason.FALSE_CLAIM))
                        : Optional.empty();
            };
        }
        LifecycleState s = c.state();
        if (desired) {
            switch (s) {
                case ACTIVE:
                    if (owned) {
                        return Optional.of(c.sameValue() ? Expect.of(Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE)
                                : Expect.of(Action.UPDATE, ResultStatus.PLANNED, Reason.VALUE_CHANGED).writing(true));
                    }
                    if (c.sameValue()) { // adopted: only the tags are written, no new version
                        return Optional.of(Expect.of(Action.UPDATE, ResultStatus.PLANNED, Reason.ADOPTED).withRead());
                    }
                    if (c.behavior() == InitialSyncBehavior.IMPORT_PRIORITIZE_DESTINATION) {
                        return Optional.of(Expect.of(Action.IMPORT, ResultStatus.PLANNED,
                                Reason.IMPORT_DESTINATION_WINS).withRead());
                    }
                    return Optional.of(Expect.of(Action.UPDATE, ResultStatus.PLANNED, Reason.ADOPTED).writing(true)
                            .withRead());
                case PENDING_DELETION:
                    return Optional.of(Expect.of(Action.RESTORE, ResultStatus.PLANNED,
                            Reason.RESTORE_PENDING_DELETION));
                case SCHEDULING_DELETION:
                case DELETING:
                    return Optional.of(Expect.of(Action.RESTORE, ResultStatus.DEFERRED, Reason.IN_TRANSITION));
                case CREATING:
                case UPDATING:
                case CANCELLING_DELETION:
                    return Optional.of(Expect.of(Action.UPDATE, ResultStatus.DEFERRED, Reason.IN_TRANSITION));
                default: // FAILED, DELETED, UNKNOWN: "FAILED with the state in the reason"
                    return Optional.of(Expect.of(Action.UPDATE, ResultStatus.FAILED, Reason.UNUSABLE_STATE));
            }
        }
        // Owned (or adoptable) and not desired; an empty source value counts as absent.
        Reason gone = c.source() == Source.EMPTY ? Reason.EMPTY_IN_SOURCE : Reason.NOT_IN_SOURCE;
        switch (s) {
            case ACTIVE:
                if (adoptable && c.behavior().imports()) {
                    return Optional.of(Expect.of(Action.IMPORT, ResultStatus.PLANNED, Reason.IMPORT_MISSING_IN_SOURCE)
                            .withRead());
                }
                if (c.f6()) {
                    return Optional.of(Expect.of(Action.NONE, ResultStatus.DONE, Reason.DELETION_DISABLED));
                }
                // Someone else's until proven otherwise: an untagged secret is deleted only when a person forced it.
                return Optional.of(adoptable && !c.force()
                        ? Expect.of(Action.DELETE, ResultStatus.BLOCKED, Reason.UNTAGGED_DELETION)
                        : Expect.of(Action.DELETE, ResultStatus.PLANNED, gone));
            case CREATING:
            case UPDATING:
            case SCHEDULING_DELETION:
            case CANCELLING_DELETION:
            case DELETING:
                return Optional.of(c.f6() ? Expect.of(Action.NONE, ResultStatus.DONE, Reason.DELETION_DISABLED)
                        : Expect.of(Action.DELETE, ResultStatus.DEFERRED, Reason.IN_TRANSITION));
            case PENDING_DELETION:
                return Optional.of(Expect.of(Action.NONE, ResultStatus.DONE, Reason.ALREADY_DELETING));
            default:
                return Optional.of(Expect.of(Action.NONE, ResultStatus.DONE, Reason.UNUSABLE_STATE));
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        List<LifecycleState> states = new ArrayList<>();
        states.add(null);
        states.addAll(List.of(LifecycleState.values()));
        for (LifecycleState state : states) {
            for (Source source : Source.values()) {
                for (Relation relation : Relation.values()) {
                    if (state == null && relation != Relation.UNTAGGED_INITIAL && relation != Relation.OWNED) {
                        continue; // no secret: the relation does not matter beyond initial or not
                    }
                    for (InitialSyncBehavior behavior : InitialSyncBehavior.values()) {
                        for (String schema : new String[] {null, "{{environment}}-{{secretKey}}"}) {
                            for (boolean f6 : new boolean[] {false, true}) {
                                for (boolean same : new boolean[] {true, false}) {
                                    for (boolean force : new boolean[] {false, true}) {
                                        out.add(new Case(state, source, relation, behavior, schema, f6, same, force));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyCellOfTheStateTable() {
        return cases().stream().map(c -> dynamicTest(c.toString(), () -> check(c)));
    }

    @Test
    void theTableHasEveryCell() {
        // 10 lifecycle states × 7 relations + absent × 2, × 3 sources × 3 behaviours × 2 schemas × 2 F6 × 2 values
        // × 2 force
        assertEquals((10 * 7 + 2) * 3 * 3 * 2 * 2 * 2 * 2, cases().size());
    }

    /** Tags as the product writes them, with a claim copied from another secret: a tag writer's forgery. */
    static Map<String, String> forged(Map<String, String> tags) {
        Map<String, String> out = new HashMap<>(tags);
        out.put(OwnershipTags.CLAIM, Fixtures.signed("another-name", tags).get(OwnershipTags.CLAIM));
        return out;
    }

    private static void check(Case c) {
        var policy = Fixtures.Policy.defaults().schema(c.schema()).behavior(c.behavior()).f6(c.f6())
                .guard(100, 1000).force(c.force());
        SyncPolicy sp = policy.build();
        String name = sp.nameFor("DB_PASS");
        String keepName = sp.nameFor("KEEP");
        String destValue = c.sameValue() ? "v1" : "v0";

        List<SourceEntry> source = new ArrayList<>();
        source.add(entry("KEEP", "keep"));
        if (c.source() == Source.VALUE) {
            source.add(entry("DB_PASS", "v1"));
        } else if (c.source() == Source.EMPTY) {
            source.add(entry("DB_PASS", ""));
        }
        List<DestinationSecret> dest = new ArrayList<>();
        boolean initial = c.state() == null ? c.relation() == Relation.UNTAGGED_INITIAL : c.initial();
        if (!initial) {
            dest.add(secret("id-keep", keepName, LifecycleState.ACTIVE, owned("KEEP", "keep")));
        }
        Map<String, String> values = new HashMap<>();
        if (c.state() != null) {
            Map<String, String> tags = switch (c.relation()) {
                case OWNED -> owned("DB_PASS", destValue);
                case FOREIGN_INITIAL, FOREIGN_LATER -> ownedBy("other-sync", "DB_PASS", destValue);
                case FORGED_INITIAL, FORGED_LATER -> forged(owned("DB_PASS", destValue));
                default -> Map.of("team", "payments");
            };
            dest.add(secret("id-subject", name, c.state(), tags));
            values.put("id-subject", destValue);
        }
        var in = Fixtures.input(policy, source, dest);
        Set<String> reads = Planner.bundlesToRead(in).keySet();
        Plan plan = Fixtures.plan(in, values);

        assertEquals(initial, plan.initial(), "initial");
        Optional<Expect> want = expected(c);
        Optional<PlannedChange> got = plan.forName(name);
        assertEquals(want.isPresent(), got.isPresent(), "an entry for the name");
        if (want.isEmpty()) {
            assertEquals(Set.of(), reads, "reads");
            return;
        }
        Expect e = want.get();
        PlannedChange ch = got.get();
        assertEquals(List.of(e.action(), e.status(), e.reason()), List.of(ch.action(), ch.status(), ch.reason()));
        assertEquals(e.writesContent(), ch.writesContent(), "writes content");
        assertEquals(e.read() ? Set.of("id-subject") : Set.of(), reads, "bundle reads");
        if (ch.isPending() && (ch.action() == Action.CREATE || ch.action() == Action.UPDATE
                || ch.action() == Action.IMPORT)) {
            Map<String, String> tags = new LinkedHashMap<>(ch.tags());
            assertEquals(Fixtures.SYNC, tags.get(OwnershipTags.SYNC));
            assertEquals("DB_PASS", tags.get(OwnershipTags.KEY));
            String tagged = ch.action() == Action.IMPORT ? destValue : "v1";
            assertEquals(Fixtures.fp("DB_PASS", tagged).tag(), tags.get(OwnershipTags.FINGERPRINT));
            assertTrue(Fixtures.CLAIMS.owns(new DestinationSecret("x", name, LifecycleState.ACTIVE, tags, null),
                    Fixtures.SYNC), "the written tags carry a claim that verifies");
        }
        if (ch.action() == Action.DELETE || ch.action() == Action.NONE && c.source() != Source.VALUE) {
            assertEquals("DB_PASS", ch.key(), "the key of a name the source lacks comes from the tag or the schema");
        }
    }
}
