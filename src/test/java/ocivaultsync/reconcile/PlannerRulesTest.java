package ocivaultsync.reconcile;

import static ocivaultsync.reconcile.Fixtures.entry;
import static ocivaultsync.reconcile.Fixtures.owned;
import static ocivaultsync.reconcile.Fixtures.secret;
import static ocivaultsync.reconcile.LifecycleState.ACTIVE;
import static ocivaultsync.reconcile.LifecycleState.DELETED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import ocivaultsync.reconcile.Fixtures.Policy;
import ocivaultsync.report.Counts;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of docs/ARCHITECTURE.md, 'Reconcile rules' beyond the state table: comparison modes, limits, names, the
* guard, imports. */
class PlannerRulesTest {

    static final Policy BASE = Policy.defaults();

    private static PlannedChange only(Plan plan, String name) {
        return plan.forName(name).orElseThrow(() -> new AssertionError("no entry for " + name));
    }

    private static String summary(PlannedChange c) {
        return c.action() + " " + c.status() + " " + c.reasonText();
    }

    @Nested
    class Comparison {

        @Test
        void aSteadyFastPassReadsNothingAndChangesNothing() {
            List<SourceEntry> source = new ArrayList<>();
            List<DestinationSecret> dest = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                source.add(entry("K" + i, "value-" + i));
                dest.add(secret("id" + i, "K" + i, ACTIVE, owned("K" + i, "value-" + i)));
                dest.add(secret("other" + i, "unmanaged-" + i, ACTIVE, Map.of()));
            }
            var in = Fixtures.input(BASE, source, dest);
            assertEquals(Set.of(), Planner.bundlesToRead(in).keySet());
            Plan plan = Planner.plan(in, Map.of());
            assertEquals(List.of(), plan.pending());
            assertEquals(1000, plan.changes().size(), "unmanaged secrets are not even considered");
            assertEquals(new Counts(0, 0, 1000, 0, 0, 0, 0, 0, 0, 0), Counts.of(plan.changes()));
        }

        @Test
        void aDeepPassReadsEveryManagedActiveDesiredSecretAndRepairsDrift() {
            var in = Fixtures.input(BASE.deep(), List.of(entry("A", "a"), entry("B", "b"), entry("C", "c")), List.of(
                    secret("ida", "A", ACTIVE, owned("A", "a")),
                    secret("idb", "B", ACTIVE, owned("B", "b")),
                    secret("idc", "C", ACTIVE, owned("C", "old")),
                    secret("idgone", "GONE", ACTIVE, owned("GONE", "g")),
                    secret("idx", "X", ACTIVE, Map.of())));
            assertEquals(Set.of("ida", "idb"), Planner.bundlesToRead(in).keySet(),
                    "C's tag already differs, GONE is deleted anyway, X is not ours");
            Plan plan = Fixtures.plan(in, Map.of("ida", "a", "idb", "edited in the console"));
            assertEquals("NONE DONE up to date: value checked", summary(only(plan, "A")));
            assertEquals("UPDATE PLANNED the destination value was changed outside the sync", summary(only(plan, "B")));
            assertTrue(only(plan, "B").writesContent());
            assertEquals("UPDATE PLANNED the source value changed", summary(only(plan, "C")));
        }

        @Test
        void aDeepCheckThatCannotReadFailsThatSecretOnly() {
            var in = Fixtures.input(BASE.deep(), List.of(entry("A", "a"), entry("B", "b")), List.of(
                    secret("ida", "A", ACTIVE, owned("A", "a")), secret("idb", "B", ACTIVE, owned("B", "b"))));
            Plan plan = Fixtures.plan(in, Map.of("idb", "b"));
            assertEquals("UPDATE FAILED the current value could not be read: NotAuthorizedOrNotFound",
                    summary(only(plan, "A")));
            assertEquals("NONE DONE up to date: value checked", summary(only(plan, "B")));
        }

        @Test
        void anEventDeepChecksOnlyItsSecret() {
            var in = Fixtures.input(BASE.deepIds("idb"), List.of(entry("A", "a"), entry("B", "b")), List.of(
                    secret("ida", "A", ACTIVE, owned("A", "a")), secret("idb", "B", ACTIVE, owned("B", "b"))));
            assertEquals(Set.of("idb"), Planner.bundlesToRead(in).keySet());
        }

        @Test
        void aRotatedFingerprintKeyRefreshesTagsWithoutANewVersion() {
            Map<String, String> oldTags = Map.of(OwnershipTags.SYNC, Fixtures.SYNC, OwnershipTags.KEY, "A",
                    OwnershipTags.FINGERPRINT, Fixtures.OLD_KEY.fingerprint(Fixtures.SYNC, "A", "a".getBytes()).tag());
            var in = Fixtures.input(BASE, List.of(entry("A", "a"), entry("B", "b"), entry("C", "c")), List.of(
                    secret("ida", "A", ACTIVE, oldTags),
                    secret("idb", "B", ACTIVE, Map.of(OwnershipTags.SYNC, Fixtures.SYNC, OwnershipTags.KEY, "B",
                            OwnershipTags.FINGERPRINT, "garbage")),
                    secret("idc", "C", ACTIVE, Map.of(OwnershipTags.SYNC, Fixtures.SYNC, OwnershipTags.KEY, "C"))));
            assertEquals(Set.of("ida", "idb", "idc"), Planner.bundlesToRead(in).keySet());
            Plan plan = Fixtures.plan(in, Map.of("ida", "a", "idb", "changed"));
            PlannedChange a = only(plan, "A");
            assertEquals("UPDATE PLANNED value unchanged; fingerprint refreshed under the current key", summary(a));
            assertFalse(a.writesContent());
            assertEquals(Fixtures.fp("A", "a").tag(), a.tags().get(OwnershipTags.FINGERPRINT));
            assertTrue(only(plan, "B").writesContent());
            assertEquals("UPDATE PLANNED the source value changed: no comparable fingerprint and "
                    + "NotAuthorizedOrNotFound; the source value is written", summary(only(plan, "C")));
        }

        @Test
        void anUpdatePlansOnlyOurTagsTheWriteKeepsOthersAsTheyAreThen() {
            Map<String, String> tags = new java.util.HashMap<>(owned("A", "old"));
            tags.put("cost-center", "42");
            var in = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(secret("ida", "A", ACTIVE, tags)));
            PlannedChange a = only(Planner.plan(in, Map.of()), "A");
            Map<String, String> ours = Fixtures.CLAIMS.valueTags(Fixtures.SYNC, "A", "A", Fixtures.fp("A", "a"));
            assertEquals(ours, a.tags(),
                    "the listed tags may be stale by the write: the executor writes ours over a fresh read");
            Map<String, String> overlaid = new java.util.HashMap<>(ours);
            overlaid.put("cost-center", "43");
            assertEquals(overlaid, OwnershipTags.overlay(Map.of("cost-center", "43", OwnershipTags.SYNC, Fixtures.SYNC),
                    a.tags()));
        }

        @Test
        void aRestoreOfAnUnchangedValueCompletesWithTheCancel() {
            var in = Fixtures.input(BASE, List.of(entry("A", "a"), entry("B", "b")), List.of(
                    secret("ida", "A", LifecycleState.PENDING_DELETION, owned("A", "a")),
                    secret("idb", "B", LifecycleState.PENDING_DELETION, owned("B", "old"))));
            Plan plan = Planner.plan(in, Map.of());
            assertTrue(only(plan, "A").restoreCompletes());
            assertEquals("RESTORE PLANNED pending deletion but still in the source: deletion is cancelled: the value "
                    + "is unchanged", summary(only(plan, "A")));
            assertFalse(only(plan, "B").restoreCompletes());
        }
    }

    @Nested
    class LimitsAndNames {

        @ParameterizedTest(name = "{0} bytes → {1}")
        @CsvSource({"25600, CREATE PLANNED", "25601, CREATE FAILED"})
        void valuesOverTwentyFiveKilobytesFailBeforeAnyCall(int size, String expected) {
            Plan plan = Planner.plan(Fixtures.input(BASE, List.of(Fixtures.sized("BIG", size), entry("OK", "ok")),
                    List.of()), Map.of());
            PlannedChange big = only(plan, "BIG");
            assertEquals(expected, big.action() + " " + big.status());
            if (big.status() == ResultStatus.FAILED) {
                assertEquals("the value is larger than OCI Vault allows: 25601 bytes; OCI Vault stores at most 25600",
                        big.reasonText());
            }
            assertEquals(ResultStatus.PLANNED, only(plan, "OK").status(), "the others proceed");
        }

        @Test
        void anOversizedValueNeverTouchesTheOwnedSecret() {
            var in = Fixtures.input(BASE, List.of(Fixtures.sized("BIG", 30_000)),
                    List.of(secret("idbig", "BIG", ACTIVE, owned("BIG", "old"))));
            assertEquals("UPDATE FAILED", only(Planner.plan(in, Map.of()), "BIG").action() + " "
                    + only(Planner.plan(in, Map.of()), "BIG").status());
        }

        @Test
        void keysThatAreNotValidNamesFailAlone() {
            Plan plan = Planner.plan(Fixtures.input(BASE, List.of(entry("has space", "v"), entry("x/y", "v"),
                    entry("Z".repeat(256), "v"), entry("fine_name.v1-2", "v")), List.of()), Map.of());
            assertEquals("CREATE FAILED the name is not a valid OCI secret name: an OCI secret name may only contain "
                    + "letters, digits, '-', '_' and '.'", summary(only(plan, "has space")));
            assertEquals(ResultStatus.FAILED, only(plan, "x/y").status());
            assertEquals("CREATE FAILED the name is not a valid OCI secret name: an OCI secret name has at most 255 "
                    + "characters (this one has 256)", summary(only(plan, "Z".repeat(256))));
            assertEquals(ResultStatus.PLANNED, only(plan, "fine_name.v1-2").status());
        }

        @Test
        void twoSourceSecretsForOneNameFailAndTheOwnedSecretIsLeftAlone() {
            var a = new SourceEntry("DB", Fixtures.fp("DB", "1"), 1, "/a", null);
            var b = new SourceEntry("DB", Fixtures.fp("DB", "2"), 1, "/b", null);
            var in = Fixtures.input(BASE, List.of(a, b, entry("OTHER", "o")),
                    List.of(secret("iddb", "DB", ACTIVE, owned("DB", "1"))));
            Plan plan = Planner.plan(in, Map.of());
            assertEquals("UPDATE FAILED several source secrets map to this name: DB from /a, DB from /b",
                    summary(only(plan, "DB")));
            assertEquals(ResultStatus.PLANNED, only(plan, "OTHER").status());
        }

        @Test
        void anEmptyValueIsSkippedUnlessTheSecretIsOursThenItCountsAsAbsent() {
            var in = Fixtures.input(BASE, List.of(entry("NEW", ""), entry("MINE", ""), entry("KEEP", "k")), List.of(
                    secret("idm", "MINE", ACTIVE, owned("MINE", "m")),
                    secret("idk", "KEEP", ACTIVE, owned("KEEP", "k")),
                    secret("idk2", "KEEP2", ACTIVE, owned("KEEP2", "k")),
                    secret("idk3", "KEEP3", ACTIVE, owned("KEEP3", "k"))));
            Plan plan = Planner.plan(in, Map.of());
            assertEquals("CREATE SKIPPED the source value is empty and OCI Vault cannot store an empty secret",
                    summary(only(plan, "NEW")));
            assertEquals("DELETE PLANNED the source value is empty and OCI Vault cannot store an empty secret: "
                    + "scheduled for deletion in 30 days", summary(only(plan, "MINE")));
        }

        @Test
        void aDeletedSecretBesideALiveOneWithTheSameNameIsIgnored() {
            var in = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(
                    secret("old", "A", DELETED, owned("A", "x")), secret("new", "A", ACTIVE, owned("A", "a"))));
            PlannedChange a = only(Planner.plan(in, Map.of()), "A");
            assertEquals("NONE DONE", a.action() + " " + a.status());
            assertEquals("new", a.secretId());
        }

        @Test
        void twoLiveSecretsWithOneNameAreNeverGuessedBetween() {
            var in = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(
                    secret("one", "A", ACTIVE, owned("A", "x")), secret("two", "A", ACTIVE, owned("A", "y"))));
            assertEquals("UPDATE FAILED several secrets in the vault hold this name: one, two",
                    summary(only(Planner.plan(in, Map.of()), "A")));
        }

        @Test
        void aListingThatRepeatsASecretIsReadOnce() {
            var s = secret("ida", "A", ACTIVE, owned("A", "a"));
            Plan plan = Planner.plan(Fixtures.input(BASE, List.of(entry("A", "a")), List.of(s, s)), Map.of());
            assertEquals("NONE DONE", only(plan, "A").action() + " " + only(plan, "A").status());
        }

        @Test
        void planEntriesAreSortedByName() {
            Plan plan = Planner.plan(Fixtures.input(BASE, List.of(entry("b", "1"), entry("C", "1"), entry("a", "1")),
                    List.of()), Map.of());
            assertEquals(List.of("C", "a", "b"), plan.changes().stream().map(PlannedChange::name).toList());
        }
    }

    @Nested
    class Ownership {

        @Test
        void theProductsOwnSecretsAreNeverAdoptedUpdatedOrDeleted() {
            var in = Fixtures.input(BASE.protect("idcfg", "idfp").guard(100, 0), List.of(entry("A", "a"),
                    entry("ovs-fingerprint-key", "x")), List.of(
                    secret("idcfg", "ovs-config", ACTIVE, Map.of()),
                    secret("idfp", "ovs-fingerprint-key", ACTIVE, Map.of()),
                    secret("idx", "X", ACTIVE, Map.of())));
            Plan plan = Fixtures.plan(in, Map.of("idx", "x"));
            assertTrue(plan.forName("ovs-config").isEmpty(), "not adopted, so not deleted");
            assertEquals("UPDATE FAILED name held by a secret this sync does not own: it holds configuration or "
                    + "credentials of this product", summary(only(plan, "ovs-fingerprint-key")));
            assertEquals(Action.DELETE, only(plan, "X").action(), "other untagged secrets are adopted as usual");
            assertFalse(Planner.bundlesToRead(in).keySet().contains("idfp"));
        }

        @Test
        void anotherSyncsSecretIsNeverAdoptedEvenOnTheInitialRun() {
            var in = Fixtures.input(BASE, List.of(entry("A", "a")), List.of(
                    secret("ida", "A", ACTIVE, Fixtures.ownedBy("other", "A", "a")),
                    secret("idb", "B", ACTIVE, Fixtures.ownedBy("other", "B", "b"))));
            Plan plan = Planner.plan(in, Map.of());
            assertTrue(plan.initial());
            assertEquals("UPDATE FAILED name held by a secret this sync does not own: it belongs to sync other",
                    summary(only(plan, "A")));
            assertTrue(plan.forName("B").isEmpty(), "another sync's secret is not ours to delete");
        }

        @Test
        void afterTheInitialRunAnUntaggedSecretWithAFittingNameIsNeverTouched() {
            var in = Fixtures.input(BASE.schema("app-{{secretKey}}"), List.of(entry("A", "a"), entry("K", "k")),
                    List.of(secret("idk", "app-K", ACTIVE, owned("K", "k")),
                            secret("ida", "app-A", ACTIVE, Map.of()),
                            secret("idz", "app-Z", ACTIVE, Map.of())));
            Plan plan = Planner.plan(in, Map.of());
            assertFalse(plan.initial());
            assertEquals("UPDATE FAILED name held by a secret this sync does not own: it carries no ovs_sync tag",
                    summary(only(plan, "app-A")));
            assertTrue(plan.forName("app-Z").isEmpty());
        }

        @Test
        void onTheInitialRunOnlyNamesThatFitTheSchemaAreAdopted() {
            var in = Fixtures.input(BASE.schema("{{environment}}-{{secretKey}}"), List.of(entry("A", "a")), List.of(
                    secret("ida", "prod-A", ACTIVE, Map.of()),
                    secret("idb", "prod-B", ACTIVE, Map.of()),
                    secret("idc", "dev-C", ACTIVE, Map.of()),
                    secret("idd", "D", ACTIVE, Map.of())));
            Plan plan = Fixtures.plan(in, Map.of("ida", "a"));
            assertEquals(List.of("prod-A", "prod-B"), plan.changes().stream().map(PlannedChange::name).toList());
            assertEquals("UPDATE PLANNED adopted by the initial sync: the value already matches",
                    summary(only(plan, "prod-A")));
            assertEquals("DELETE BLOCKED an untagged secret the source lacks: the initial run deletes it only when a "
                    + "manual sync is forced", summary(only(plan, "prod-B")));
            assertEquals("B", only(plan, "prod-B").key());
            var forced = Fixtures.input(BASE.schema("{{environment}}-{{secretKey}}").force(true), in.source(),
                    in.destination());
            assertEquals("DELETE PLANNED no longer in the source: scheduled for deletion in 30 days",
                    summary(only(Fixtures.plan(forced, Map.of("ida", "a")), "prod-B")));
        }

        @Test
        void aSecretOfTheSyncWhoseNameNoLongerFitsTheSchemaIsDeleted() {
            var in = Fixtures.input(BASE.schema("new-{{secretKey}}"), List.of(entry("A", "a")),
                    List.of(secret("old", "old-A", ACTIVE, owned("A", "a"))));
            Plan plan = Planner.plan(in, Map.of());
            assertEquals("CREATE PLANNED", only(plan, "new-A").action() + " " + only(plan, "new-A").status());
            assertEquals("DELETE PLANNED", only(plan, "old-A").action() + " " + only(plan, "old-A").status());
            assertEquals("A", only(plan, "old-A").key());
        }
    }

    @Nested
    class Guard {

        /** {@code managed} owned secrets of which the source keeps {@code managed - deletions}. */
        private Plan planWith(Policy p, int managed, int deletions) {
            List<SourceEntry> source = new ArrayList<>();
            List<DestinationSecret> dest = new ArrayList<>();
            for (int i = 0; i < managed; i++) {
                dest.add(secret("id" + i, "K" + i, ACTIVE, owned("K" + i, "v")));
                if (i >= deletions) {
                    source.add(entry("K" + i, "v"));
                }
            }
            return Planner.plan(Fixtures.input(p, source, dest), Map.of());
        }

        @ParameterizedTest(name = "{0} of {1} managed, maxPercent {2}, minCount {3}, force {4} → {5}")
        @CsvSource({
            "5, 10, 50, 3, false, PLANNED",  // exactly 50%: not more than maxPercent
            "6, 10, 50, 3, false, BLOCKED",
            "3, 4, 50, 3, false, PLANNED",   // 75% but not more than minCount
            "4, 5, 50, 3, false, BLOCKED",
            "6, 10, 50, 3, true, PLANNED",   // force lets them through
            "1, 100, 0, 0, false, BLOCKED",  // maxPercent 0: any deletion past minCount
            "1, 100, 0, 1, false, PLANNED",
            "99, 100, 100, 0, false, PLANNED", // maxPercent 100: only an empty source trips it
        })
        void deletionsPastTheThresholdsAreWithheld(int deletions, int managed, int maxPercent, int minCount,
                boolean force, ResultStatus expected) {
            Plan plan = planWith(BASE.guard(maxPercent, minCount).force(force), managed, deletions);
            List<PlannedChange> deletes = plan.changes().stream().filter(c -> c.action() == Action.DELETE).toList();
            assertEquals(deletions, deletes.size());
            deletes.forEach(d -> assertEquals(expected, d.status(), d.name()));
            if (expected == ResultStatus.BLOCKED) {
                assertEquals("deletion withheld by the guard: too many deletions at once; run with force to delete: "
                        + deletions + " of " + managed + " managed secrets, more than " + maxPercent
                        + "% and more than " + minCount, deletes.get(0).reasonText());
            }
        }

        @Test
        void anEmptySourceWithholdsEveryDeletion() {
            Plan plan = planWith(BASE.guard(100, 1000), 2, 2);
            assertEquals(List.of(ResultStatus.BLOCKED, ResultStatus.BLOCKED),
                    plan.changes().stream().map(PlannedChange::status).toList());
            assertEquals("deletion withheld by the guard: the source returned no secrets; run with force to delete: "
                    + "2 deletion(s) withheld", plan.changes().get(0).reasonText());
            assertEquals(List.of(ResultStatus.PLANNED, ResultStatus.PLANNED),
                    planWith(BASE.guard(100, 1000).force(true), 2, 2).changes().stream()
                            .map(PlannedChange::status).toList());
        }

        @Test
        void secretsAlreadyGoingAwayDoNotInflateTheManagedSet() {
            List<DestinationSecret> dest = new ArrayList<>();
            List<SourceEntry> source = new ArrayList<>();
            IntStream.range(0, 20).forEach(i -> dest.add(secret("p" + i, "P" + i, LifecycleState.PENDING_DELETION,
                    owned("P" + i, "v"))));
            IntStream.range(0, 10).forEach(i -> dest.add(secret("a" + i, "A" + i, ACTIVE, owned("A" + i, "v"))));
            IntStream.range(6, 10).forEach(i -> source.add(entry("A" + i, "v")));
            Plan plan = Planner.plan(Fixtures.input(BASE, source, dest), Map.of());
            assertEquals(6, plan.changes().stream().filter(c -> c.status() == ResultStatus.BLOCKED).count(),
                    "6 of 10 live secrets, not 6 of 30");
        }

        @Test
        void noSchemaOverwriteOnTheInitialRunIsCaughtByTheGuard() {
            List<DestinationSecret> dest = new ArrayList<>();
            IntStream.range(0, 10).forEach(i -> dest.add(secret("u" + i, "UNRELATED" + i, ACTIVE, Map.of())));
            Plan plan = Planner.plan(Fixtures.input(BASE, List.of(entry("A", "a")), dest), Map.of());
            assertEquals(10, plan.changes().stream().filter(c -> c.status() == ResultStatus.BLOCKED).count());
        }
    }

    @Nested
    class Imports {

        @Test
        void prioritizeSourceImportsWhatTheSourceLacksAndKeepsItsOwnValues() {
            var in = Fixtures.input(BASE.schema("app-{{secretKey}}")
                    .behavior(InitialSyncBehavior.IMPORT_PRIORITIZE_SOURCE), List.of(entry("BOTH", "src"),
                    entry("EMPTY", "")), List.of(
                    secret("idonly", "app-ONLY", ACTIVE, Map.of()),
                    secret("idboth", "app-BOTH", ACTIVE, Map.of()),
                    secret("idempty", "app-EMPTY", ACTIVE, Map.of())));
            assertEquals(Set.of("idonly", "idboth", "idempty"), Planner.bundlesToRead(in).keySet());
            Plan plan = Fixtures.plan(in, Map.of("idonly", "dest-only", "idboth", "dest", "idempty", "kept"));
            PlannedChange only = only(plan, "app-ONLY");
            assertEquals("IMPORT PLANNED the source lacks this key: the destination value is imported into the "
                    + "source", summary(only));
            assertEquals("ONLY", only.key());
            assertEquals(Fixtures.fp("ONLY", "dest-only").tag(), only.tags().get(OwnershipTags.FINGERPRINT));
            assertEquals("UPDATE PLANNED adopted by the initial sync: the source value replaces the destination's",
                    summary(only(plan, "app-BOTH")));
            assertEquals(Action.IMPORT, only(plan, "app-EMPTY").action(),
                    "an empty source value never deletes on an importing initial run");
        }

        @Test
        void prioritizeDestinationImportsDifferingValues() {
            var in = Fixtures.input(BASE.behavior(InitialSyncBehavior.IMPORT_PRIORITIZE_DESTINATION),
                    List.of(entry("SAME", "s"), entry("DIFF", "src")), List.of(
                            secret("ids", "SAME", ACTIVE, Map.of()), secret("idd", "DIFF", ACTIVE, Map.of())));
            Plan plan = Fixtures.plan(in, Map.of("ids", "s", "idd", "dest"));
            assertEquals("UPDATE PLANNED adopted by the initial sync: the value already matches",
                    summary(only(plan, "SAME")));
            assertEquals("IMPORT PLANNED the values differ and the destination wins: its value is imported into the "
                    + "source", summary(only(plan, "DIFF")));
        }

        @Test
        void anUnreadableImportCandidateFailsAndIsNeverDeleted() {
            var in = Fixtures.input(BASE.behavior(InitialSyncBehavior.IMPORT_PRIORITIZE_SOURCE),
                    List.of(entry("A", "a")), List.of(secret("idx", "X", ACTIVE, Map.of())));
            assertEquals("IMPORT FAILED the current value could not be read: NotAuthorizedOrNotFound",
                    summary(only(Fixtures.plan(in, Map.of()), "X")));
        }

        @Test
        void importsHappenOnlyOnTheInitialRun() {
            var in = Fixtures.input(BASE.behavior(InitialSyncBehavior.IMPORT_PRIORITIZE_SOURCE),
                    List.of(entry("A", "a")), List.of(secret("ida", "A", ACTIVE, owned("A", "a")),
                            secret("idx", "X", ACTIVE, Map.of())));
            Plan plan = Planner.plan(in, Map.of());
            assertTrue(plan.forName("X").isEmpty());
            assertEquals(Set.of(), Planner.bundlesToRead(in).keySet());
        }
    }
}
