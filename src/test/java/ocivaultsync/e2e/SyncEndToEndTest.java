package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.report.Counts;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.report.OciCalls;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.reconcile.Destination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Source file → product → real OCI SDK → emulator; assertions on the emulator's state and the exact reports. */
class SyncEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(10)
            .withTransitionsBetween(50, 500));

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static final String OWNED = "ovs_sync";

    @Nested
    class StateTable {

        @Test
        void absentIsCreatedWithOurTagsAndAnUnchangedPassWritesNothing() {
            h.source(Map.of("DB_PASS", "p4ss", "API_KEY", "k3y"));
            SyncReport first = h.sync();
            assertEquals(List.of("API_KEY CREATE DONE", "DB_PASS CREATE DONE"), lines(first));
            assertEquals(SyncStatus.SUCCEEDED, first.status());
            assertTrue(first.initial());
            assertEquals("p4ss", h.value("DB_PASS"));
            assertEquals("app", h.tags("DB_PASS").get(OWNED));
            assertEquals("DB_PASS", h.tags("DB_PASS").get("ovs_key"));
            assertTrue(h.tags("DB_PASS").get("ovs_fp").matches("v2:[0-9a-f]{8}:[A-Za-z0-9_-]{32}"));

            // The first pass created its state secret, which may still have been CREATING when it ended: then its
            // status is recorded by the next pass.
            h.pass();
            SyncReport second = h.pass();
            assertEquals(List.of(), second.results());
            assertEquals(new Counts(0, 0, 2, 0, 0, 0, 0, 0, 0, 0), second.counts());
            assertEquals(new OciCalls(1, 0, 0), second.ociCalls(), "an unchanged automatic pass only lists");
            assertEquals(1L, h.secret("DB_PASS").currentVersionNumber());
            assertEquals(new OciCalls(2, 1, 1), h.sync().ociCalls(), "a manual sync records itself on its state "
                    + "secret (a read for the etag, one conditional write), lists again, and writes nothing else");
        }

        @Test
        void activeIsUpdatedWhenTheValueChangesAndDeletedWhenItLeaves() {
            h.source(Map.of("A", "1", "B", "2", "C", "3", "D", "4")).sync();
            h.source(Map.of("A", "1", "B", "two", "C", "3"));
            SyncReport r = h.sync();
            assertEquals(List.of("B UPDATE DONE", "D DELETE DONE"), lines(r));
            assertEquals("two", h.value("B"));
            assertEquals(2L, h.secret("B").currentVersionNumber());
            assertEquals("PENDING_DELETION", h.state("D"));
            assertTrue(h.secret("D").timeOfDeletion() != null);
            assertEquals("ACTIVE", h.state("A"));
        }

        @Test
        void pendingDeletionIsRestoredThenUpdatedOnTheNextPass() {
            h.source(Map.of("A", "1", "B", "2", "C", "3", "K", "k")).sync();
            h.source(Map.of("B", "2", "C", "3", "K", "k")).sync();
            assertEquals("PENDING_DELETION", h.state("A"));

            h.source(Map.of("A", "new", "B", "2", "C", "3", "K", "k"));
            SyncReport restore = h.sync();
            assertEquals(List.of("A RESTORE DEFERRED"), lines(restore));
            assertEquals("deletion cancelled; the value is written on a later pass, once the secret is ACTIVE",
                    restore.results().get(0).reason());
            assertEquals(SyncStatus.DEFERRED, restore.status());
            assertEquals("ACTIVE", h.state("A"));
            assertEquals("1", h.value("A"), "the new value waits for the next pass");

            assertEquals(List.of("A UPDATE DONE"), lines(h.sync()));
            assertEquals("new", h.value("A"));
        }

        @Test
        void pendingDeletionWithAnUnchangedValueIsRestoredInOnePass() {
            h.source(Map.of("A", "1", "B", "2", "C", "3", "K", "k")).sync();
            h.source(Map.of("B", "2", "C", "3", "K", "k")).sync();
            h.source(Map.of("A", "1", "B", "2", "C", "3", "K", "k"));
            SyncReport r = h.sync();
            assertEquals(List.of("A RESTORE DONE"), lines(r));
            assertEquals(SyncStatus.SUCCEEDED, r.status());
        }

        @Test
        void transitionalStatesAreDeferredNeverWaitedFor() {
            h.source(Map.of("A", "1", "B", "2")).sync();
            String a = h.secret("A").id();
            String b = h.secret("B").id();
            h.f.force(a, SecretState.UPDATING, 600, SecretState.ACTIVE);
            h.f.force(b, SecretState.CANCELLING_DELETION, 600, SecretState.ACTIVE);
            h.source(Map.of("A", "changed"));
            long started = System.nanoTime();
            SyncReport r = h.sync();
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10, "no busy waiting");
            assertEquals(List.of("A UPDATE DEFERRED", "B DELETE DEFERRED"), lines(r));
            assertEquals(SyncStatus.DEFERRED, r.status());
            h.f.emulator.clock().advance(Duration.ofSeconds(601));
            assertEquals(List.of("A UPDATE DONE", "B DELETE DONE"), lines(h.sync()));
            assertEquals("changed", h.value("A"));
        }

        @Test
        void failedAndDeletedSecretsFailWhenDesiredAndAreLeftAloneOtherwise() {
            h.source(Map.of("K", "k")).sync();
            h.seed("X", "x", Harness.productTags("app", "X", "X", "x"), SecretState.FAILED);
            h.seed("Y", "y", Harness.productTags("app", "Y", "Y", "y"), SecretState.DELETED);
            h.source(Map.of("K", "k", "X", "x"));
            SyncReport r = h.sync(q -> q.withVerbose(true));
            assertEquals(List.of("K NONE DONE", "X UPDATE FAILED", "Y NONE DONE"), lines(r));
            assertEquals("the secret is in a state that cannot be synced: FAILED", r.results().get(1).reason());
            assertEquals(SyncStatus.PARTIAL, r.status());
            assertEquals("FAILED", h.state("X"));
        }
    }

    @Nested
    class InitialBehaviours {

        @Test
        void overwriteAdoptsFittingSecretsAndDeletesWhatTheSourceLacksOnlyWhenForced() {
            h.configure(o -> o.keySchema("app-{{secretKey}}").deletionGuard(100, 0));
            h.seed("app-SAME", "same", Map.of(), null);
            h.seed("app-DIFF", "old", Map.of("team", "payments"), null);
            h.seed("app-GONE", "g", Map.of(), null);
            h.seed("other-X", "x", Map.of(), null);
            h.source(Map.of("SAME", "same", "DIFF", "new"));
            SyncReport r = h.sync();
            assertTrue(r.initial());
            assertEquals(List.of("app-DIFF UPDATE DONE", "app-GONE DELETE BLOCKED", "app-SAME UPDATE DONE"), lines(r));
            assertEquals("an untagged secret the source lacks: the initial run deletes it only when a manual sync is "
                    + "forced", r.results().get(1).reason());
            assertEquals(SyncStatus.PARTIAL, r.status());
            assertEquals(1L, h.secret("app-SAME").currentVersionNumber(), "tags only");
            assertEquals("app", h.tags("app-SAME").get(OWNED));
            assertEquals("new", h.value("app-DIFF"));
            assertEquals("payments", h.tags("app-DIFF").get("team"), "other tags are kept");
            assertEquals("ACTIVE", h.state("app-GONE"), "someone else's until a person says otherwise");
            assertEquals(Map.of(), h.tags("other-X"));
            Map<String, Long> calls = h.f.emulator.calls().snapshot();
            assertEquals(List.of(2L, 1L), List.of(calls.get("GetSecretBundle"), calls.get("CreateSecret")),
                    "bundle reads only for the adopted ones; one create: the state secret, recording the sync and "
                            + "its initial run pending before any other write");
            assertEquals(null, calls.get("ScheduleSecretDeletion"));
            assertEquals(List.of("app-GONE DELETE BLOCKED"), lines(h.pass()), "the initial run stays pending");
            assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));

            SyncReport forced = h.sync(q -> q.withForce(true));
            assertTrue(forced.initial());
            assertEquals(List.of("app-GONE DELETE DONE"), lines(forced));
            assertEquals("PENDING_DELETION", h.state("app-GONE"));
            assertEquals("ACTIVE", h.state("other-X"));
            assertEquals(List.of(), lines(h.pass()));
            assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"), "done by this pass or the next");
        }

        @Test
        void importPrioritizeSourceWritesMissingKeysIntoTheSourceFirst() {
            h.configure(o -> o.initialSyncBehavior("import-prioritize-source").keySchema("app-{{secretKey}}"));
            h.seed("app-ONLY_DEST", "from-oci", Map.of(), null);
            h.seed("app-BOTH", "oci-value", Map.of(), null);
            h.source(Map.of("BOTH", "source-value", "ONLY_SRC", "s"));
            SyncReport r = h.sync();
            assertEquals(List.of("app-BOTH UPDATE DONE", "app-ONLY_DEST IMPORT DONE", "app-ONLY_SRC CREATE DONE"),
                    lines(r));
            assertEquals(Map.of("BOTH", "source-value", "ONLY_SRC", "s", "ONLY_DEST", "from-oci"), h.sourceFile());
            assertEquals("source-value", h.value("app-BOTH"));
            assertEquals("from-oci", h.value("app-ONLY_DEST"));
            assertEquals("app", h.tags("app-ONLY_DEST").get(OWNED));
            assertEquals(List.of(), h.sync().results(), "converged");
        }

        @Test
        void importPrioritizeDestinationLetsTheVaultWin() {
            h.configure(o -> o.initialSyncBehavior("import-prioritize-destination"));
            h.seed("BOTH", "oci-value", Map.of(), null);
            h.seed("ONLY_DEST", "d", Map.of(), null);
            h.source(Map.of("BOTH", "source-value"));
            SyncReport r = h.sync();
            assertEquals(List.of("BOTH IMPORT DONE", "ONLY_DEST IMPORT DONE"), lines(r));
            assertEquals(Map.of("BOTH", "oci-value", "ONLY_DEST", "d"), h.sourceFile());
            assertEquals("oci-value", h.value("BOTH"));
            assertEquals(1L, h.secret("BOTH").currentVersionNumber());
            assertEquals(List.of(), h.sync().results());
        }

        @Test
        void theKeySchemaCanCarryTheEnvironment() {
            h.environment("prod").configure(o -> o.keySchema("{{environment}}.{{secretKey}}"));
            h.seed("dev.X", "x", Map.of(), null);
            h.source(Map.of("DB", "d"));
            assertEquals(List.of("prod.DB CREATE DONE"), lines(h.sync()));
            assertEquals("ACTIVE", h.state("dev.X"), "another environment's secret does not fit the schema");
        }
    }

    @Nested
    class Safety {

        @Test
        void aForeignSecretWithAFittingNameIsNeverTouchedAfterTheInitialRun() {
            h.configure(o -> o.keySchema("app-{{secretKey}}"));
            h.source(Map.of("A", "a")).sync();
            h.seed("app-B", "someone else's", Map.of(), null);
            h.seed("app-C", "another sync's", Map.of(OWNED, "other"), null);
            h.source(Map.of("A", "a", "B", "mine?", "C", "mine?"));
            SyncReport r = h.sync();
            assertEquals(List.of("app-B UPDATE FAILED", "app-C UPDATE FAILED"), lines(r));
            assertEquals("name held by a secret this sync does not own: it carries no ovs_sync tag",
                    r.results().get(0).reason());
            assertEquals("someone else's", h.value("app-B"));
            assertEquals("another sync's", h.value("app-C"));
            h.source(Map.of());
            h.sync(q -> q.withForce(true));
            assertEquals("ACTIVE", h.state("app-B"));
            assertEquals("ACTIVE", h.state("app-C"));
            assertEquals("PENDING_DELETION", h.state("app-A"));
        }

        @Test
        void theGuardWithholdsMassDeletionUntilForced() {
            h.source(Map.of("A", "1", "B", "2", "C", "3", "D", "4", "E", "5")).sync();
            h.source(Map.of("A", "1"));
            SyncReport blocked = h.sync();
            assertEquals(List.of("B DELETE BLOCKED", "C DELETE BLOCKED", "D DELETE BLOCKED", "E DELETE BLOCKED"),
                    lines(blocked));
            assertEquals(SyncStatus.PARTIAL, blocked.status());
            assertEquals("ACTIVE", h.state("B"));
            SyncReport forced = h.sync(q -> q.withForce(true));
            assertEquals(4, forced.counts().delete());
            assertEquals("PENDING_DELETION", h.state("B"));
        }

        @Test
        void anEmptySourceDeletesNothing() {
            h.source(Map.of("A", "1")).sync();
            h.source(Map.of());
            assertEquals(List.of("A DELETE BLOCKED"), lines(h.sync()));
            assertEquals("ACTIVE", h.state("A"));
        }

        @Test
        void disabledDeletionNeverDeletes() {
            h.configure(o -> o.disableSecretDeletion(true));
            h.source(Map.of("A", "1", "B", "2")).sync();
            h.source(Map.of("A", "1"));
            SyncReport r = h.sync(q -> q.withForce(true).withVerbose(true));
            assertEquals(List.of("A NONE DONE", "B NONE DONE"), lines(r));
            assertEquals("ACTIVE", h.state("B"));
        }

        @Test
        void aDryRunWritesNothing() {
            h.source(Map.of("A", "1")).sync();
            long versions = h.secret("A").currentVersionNumber();
            h.source(Map.of("A", "2", "N", "n"));
            SyncReport plan = h.plan();
            assertEquals(List.of("A UPDATE PLANNED", "N CREATE PLANNED"), lines(plan));
            assertEquals(new OciCalls(1, 0, 0), plan.ociCalls());
            assertEquals(versions, h.secret("A").currentVersionNumber());
            assertNull(h.secret("N"));
        }

        @Test
        void aDeepPassRepairsAnOutOfBandEdit() {
            h.source(Map.of("A", "1", "B", "2")).sync();
            String a = h.secret("A").id();
            h.settle(); // the run's own writes finish their transitions first
            h.f.vaults().updateSecret(UpdateSecretRequest.builder().secretId(a).updateSecretDetails(
                    UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                            .content(Harness.b64("edited in the console")).build()).build()).build());
            assertEquals(List.of(), h.sync().results(), "a fast pass trusts the tags");
            SyncReport deep = h.sync(q -> q.withVerify(Verify.DEEP));
            assertEquals(List.of("A UPDATE DONE"), lines(deep));
            assertEquals("the destination value was changed outside the sync", deep.results().get(0).reason());
            assertEquals(new OciCalls(2, 5, 2), deep.ociCalls(), "lists: before and after the record; reads: the "
                    + "record's etag, both bundles, the intent again before the first write, A before its conditional "
                    + "update; writes: the record, A");
            assertEquals("1", h.value("A"));
        }
    }

    @Nested
    class Scale {

        @Test
        void aVaultOfManyPagesIsListedWhole() {
            for (int i = 0; i < 25; i++) {
                h.seed("unmanaged-" + i, "u", Map.of("ovs_sync", "another"), null);
            }
            Map<String, String> src = new LinkedHashMap<>();
            for (int i = 0; i < 12; i++) {
                src.put("K" + i, "v" + i);
            }
            h.source(src).sync();
            h.source(Map.of("K0", "v0", "K1", "changed", "K2", "v2", "K3", "v3", "K4", "v4", "K5", "v5", "K6", "v6",
                    "K7", "v7", "K8", "v8", "K9", "v9"));
            SyncReport r = h.sync();
            assertEquals(List.of("K1 UPDATE DONE", "K10 DELETE DONE", "K11 DELETE DONE"), lines(r));
            assertEquals(8, r.ociCalls().list(), "37 secrets in pages of 10, listed before and after the record");
        }

        @Test
        void aCreateRacingAnotherWriterIsReplannedOnce() {
            h.source(Map.of("K", "k")).sync(); // past the initial run: an untagged newcomer is not adoptable
            AtomicBoolean raced = new AtomicBoolean();
            h.wrapVault(v -> new Racing(v, () -> {
                if (raced.compareAndSet(false, true)) {
                    // Another run of the same sync wins the race and creates the secret first.
                    h.seed("A", "1", Harness.productTags("app", "A", "A", "1"), null);
                    h.seed("B", "someone", Map.of(), null);
                }
            }));
            h.source(Map.of("A", "1", "B", "2", "K", "k"));
            SyncReport r = h.sync(q -> q.withVerbose(true));
            assertEquals(List.of("A NONE DONE", "B UPDATE FAILED", "K NONE DONE"), lines(r));
            assertEquals("name held by a secret this sync does not own: it carries no ovs_sync tag",
                    r.results().get(1).reason());
            assertEquals(3, h.valueSecrets().size(), "no duplicate");
            assertEquals("someone", h.value("B"));
        }
    }

    /** A vault port that lets another writer act just before the first create. */
    static class Racing implements VaultPort {
        private final VaultPort delegate;
        private final java.util.function.Consumer<String> beforeCreate;

        Racing(VaultPort delegate, Runnable beforeCreate) {
            this(beforeCreate, delegate);
        }

        private Racing(Runnable beforeCreate, VaultPort delegate) {
            this.delegate = delegate;
            this.beforeCreate = name -> beforeCreate.run();
        }

        private Racing(VaultPort delegate, java.util.function.Consumer<String> beforeCreateOf) {
            this.delegate = delegate;
            this.beforeCreate = beforeCreateOf;
        }

        /** Runs {@code beforeCreateOf} with the name before each create (it may throw, as OCI would answer). */
        static Racing onCreateOf(VaultPort delegate, java.util.function.Consumer<String> beforeCreateOf) {
            return new Racing(delegate, beforeCreateOf);
        }

        @Override
        public List<DestinationSecret> list(Destination t) {
            return delegate.list(t);
        }

        @Override
        public List<DestinationSecret> findByName(Destination t, String name) {
            return delegate.findByName(t, name);
        }

        @Override
        public String create(Destination t, String name, SecretValue value, Map<String, String> tags) {
            beforeCreate.accept(name);
            return delegate.create(t, name, value, tags);
        }

        @Override
        public Versioned get(String id) {
            return delegate.get(id);
        }

        @Override
        public java.util.Optional<java.time.Instant> serverNow() {
            return delegate.serverNow();
        }

        @Override
        public long update(String id, SecretValue value, Map<String, String> tags, String ifMatch) {
            return delegate.update(id, value, tags, ifMatch);
        }

        @Override
        public List<ocivaultsync.reconcile.SecretVersion> listVersions(String id) {
            return delegate.listVersions(id);
        }

        @Override
        public void scheduleVersionDeletion(String id, long number, java.time.Instant when) {
            delegate.scheduleVersionDeletion(id, number, when);
        }

        @Override
        public void scheduleDeletion(String id, java.time.Instant when) {
            delegate.scheduleDeletion(id, when);
        }

        @Override
        public void cancelDeletion(String id) {
            delegate.cancelDeletion(id);
        }

        @Override
        public SecretValue readCurrent(String id) {
            return delegate.readCurrent(id);
        }
    }
}
