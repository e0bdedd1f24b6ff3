package ocivaultsync.function;

import static ocivaultsync.function.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.model.ScheduleSecretVersionDeletionDetails;
import com.oracle.bmc.vault.requests.ScheduleSecretVersionDeletionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where one pass meets the next, end to end through the real SDK against the emulator with lifecycle transitions on
 * (as a new user meets them): retries that continue what deferred, initial runs that finish, retry chains that join,
 * and secrets updated more often than OCI keeps versions. Time passes on the emulator's clock, which the runner
 * shares.
 */
class AcrossPassesTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(1500));

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir, Harness.clockOf(EMULATOR.fixture().emulator.clock()));
        h.handlers();
        h.requeuer.clock = Harness.clockOf(EMULATOR.fixture().emulator.clock());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    void settle() {
        h.f.emulator.clock().advance(Duration.ofSeconds(2));
    }

    /** Delivers a retry or hand-off as the platform would, due now. */
    RunReport deliver(RetryMessage m) {
        try {
            return h.call("event", JSON.writeValueAsString(m.at(m.attempt(), Instant.EPOCH).toJson()), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String id(String name) {
        return (String) h.vault().get(name).get("id");
    }

    @Test
    void aRemoveThatDefersKeepsRemovingOnItsRetryAndRestoresNothing() {
        h.source(Map.of("A", "1", "B", "2")).sync();
        settle();
        h.f.emulator.vault().force(id("B"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        SyncReport removal = h.call("remove", "{\"sync\":\"app\"}", Map.of()).syncs().get(0);
        assertEquals(List.of("A DELETE DONE", "B DELETE DEFERRED"), lines(removal));
        RetryMessage retry = h.requeuer.retries.get(0);
        assertEquals(Planner.Operation.REMOVE, retry.operation());
        assertEquals(Trigger.MANUAL, retry.origin());

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        RunReport r = deliver(retry);
        assertEquals(Trigger.RETRY, r.trigger());
        assertEquals(List.of("B DELETE DONE"), lines(r.syncs().get(0)));
        settle();
        assertEquals("PENDING_DELETION", h.state("A"), "not restored by the retry");
        assertEquals("PENDING_DELETION", h.state("B"));
    }

    @Test
    void anInitialRunThatCannotFinishIsFinishedByTheNextPass() {
        h.seed("A", "theirs", Map.of(), null);
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "mine", "B", "2"));
        SyncReport first = h.sync();
        assertTrue(first.initial());
        assertEquals(List.of("A UPDATE DEFERRED", "B CREATE DONE"), lines(first));
        assertEquals("pending", h.tags("ovs-state-app").get("ovs_initial"));

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport second = h.sync();
        assertTrue(second.initial(), "still initial: an adoption was outstanding");
        assertEquals(List.of("A UPDATE DONE"), lines(second));
        assertEquals("adopted by the initial sync: the source value replaces the destination's",
                second.results().get(0).reason());
        settle();
        assertEquals("mine", h.value("A"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
        SyncReport third = h.sync();
        assertFalse(third.initial());
        assertEquals(List.of(), third.results());
        assertEquals(new OciCalls(1, 0, 0), third.ociCalls(), "a steady pass costs the list call only");
    }

    @Test
    void aForcedRerunAfterAGuardedInitialRunDeletesWhatTheGuardWithheld() {
        for (int i = 1; i <= 4; i++) {
            h.seed("X" + i, "old", Map.of(), null);
        }
        SyncReport guarded = h.source(Map.of("A", "1")).sync();
        assertEquals(List.of("A CREATE DONE", "X1 DELETE BLOCKED", "X2 DELETE BLOCKED", "X3 DELETE BLOCKED",
                "X4 DELETE BLOCKED"), lines(guarded));
        settle();
        SyncReport forced = h.sync(q -> q.withForce(true));
        assertTrue(forced.initial());
        assertEquals(List.of("X1 DELETE DONE", "X2 DELETE DONE", "X3 DELETE DONE", "X4 DELETE DONE"), lines(forced));
        settle();
        assertEquals("PENDING_DELETION", h.state("X1"));
        assertEquals("done", h.tags("ovs-state-app").get("ovs_initial"));
    }

    @Test
    void anAutomaticTriggerJoinsThePendingRetryChainInsteadOfStartingAnother() {
        h.source(Map.of("A", "1")).sync();
        settle();
        h.f.emulator.vault().force(id("A"), SecretState.UPDATING, 60, SecretState.ACTIVE);
        h.source(Map.of("A", "2"));
        SyncReport first = h.call("event", "{\"trigger\":\"schedule\"}", Map.of()).syncs().get(0);
        assertEquals(SyncStatus.DEFERRED, first.status());
        assertEquals(1, h.requeuer.retries.size());

        SyncReport joined = h.call("event", "{\"trigger\":\"schedule\"}", Map.of()).syncs().get(0);
        assertEquals("joined the retry already pending for this sync in this container", joined.error());
        assertEquals(OciCalls.NONE, joined.ociCalls(), "nothing ran");
        assertEquals(first.retry(), joined.retry());
        SyncReport manual = h.sync();
        assertEquals(List.of("A UPDATE DEFERRED"), lines(manual), "a manual run runs");
        assertEquals(first.retry(), manual.retry(), "and joins the same chain");
        assertEquals(1, h.requeuer.retries.size(), "one chain: no second timer or self-invocation");

        h.f.emulator.clock().advance(Duration.ofSeconds(62));
        assertEquals(List.of("A UPDATE DONE"), lines(deliver(h.requeuer.retries.get(0)).syncs().get(0)));
        assertEquals(1, h.requeuer.retries.size());
        settle();
        assertEquals("2", h.value("A"));
    }

    @Test
    void aHandedOffManualRunOfAllSyncsRunsSyncsWithAutoSyncOff() {
        h.raw("""
                fingerprintKey: {value: e2e-fingerprint-key-0123456789abcdef}
                syncs:
                  - name: one
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "one-{{secretKey}}"}
                  - name: manual
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "manual-{{secretKey}}", autoSync: false}
                """, null);
        h.source(Map.of("A", "1"));
        RunReport r = h.runner().run(h.config(), h.config().syncs(),
                RunRequest.manual(null, false).withDeadline(Instant.now().plusSeconds(5)));
        assertEquals(List.of(SyncStatus.DEFERRED, SyncStatus.DEFERRED), r.syncs().stream().map(SyncReport::status)
                .toList());
        RetryMessage handOff = h.requeuer.handOffs.get(1);
        assertEquals(List.of("manual", "manual", "0"), List.of(handOff.sync(), handOff.origin().wire(),
                String.valueOf(handOff.attempt())));
        SyncReport ran = deliver(handOff).syncs().get(0);
        assertEquals(List.of("manual-A CREATE DONE"), lines(ran), "not SKIPPED: the caller was told DEFERRED");
    }

    @Test
    void aRePlannedImportAfterNameAlreadyExistsImportsIntoTheSource() {
        h.configure("initialSyncBehavior: import-prioritize-destination");
        AtomicBoolean raced = new AtomicBoolean();
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> {
            if (raced.compareAndSet(false, true)) {
                h.seed("A", "theirs", Map.of(), null); // another writer, between our list and our create
            }
        }));
        SyncReport r = h.source(Map.of("A", "mine")).sync();
        assertEquals(List.of("A IMPORT DONE"), lines(r));
        assertEquals(Map.of("A", "theirs"), h.sourceFile(), "imported, not only retagged");
        assertEquals("app", h.tags("A").get("ovs_sync"));
    }

    @Test
    void aSecretUpdatedAHundredTimesKeepsSyncingAndKeepsTenVersions() {
        h.source(Map.of("TOKEN", "v0")).sync();
        for (int i = 1; i <= 100; i++) {
            h.f.emulator.clock().advance(Duration.ofHours(1)); // a rotated token: transitions and windows pass
            SyncReport r = h.source(Map.of("TOKEN", "v" + i)).sync();
            assertEquals(List.of("TOKEN UPDATE DONE"), lines(r), "update " + i + ": " + r.results());
            assertEquals("the source value changed", r.results().get(0).reason(), "update " + i);
        }
        settle();
        assertEquals("v100", h.value("TOKEN"));
        List<Map<String, Object>> versions = h.f.emulator.vault().listVersions(id("TOKEN"), 200, 0, false).items();
        long inUse = versions.stream().filter(v -> v.get("timeOfDeletion") == null).count();
        assertEquals(10, inUse, "keepVersions, default 10");
    }

    @Test
    void theEmulatorRefusesToDeleteTheCurrentOrPreviousVersionAsOciDoes() {
        h.source(Map.of("A", "1")).sync();
        for (int i = 2; i <= 3; i++) {
            h.f.emulator.clock().advance(Duration.ofSeconds(2));
            h.source(Map.of("A", String.valueOf(i))).sync();
        }
        settle();
        Map<Long, String> refused = new LinkedHashMap<>();
        for (long n = 2; n <= 3; n++) {
            long version = n;
            BmcException e = assertThrows(BmcException.class, () -> h.f.vaults().scheduleSecretVersionDeletion(
                    ScheduleSecretVersionDeletionRequest.builder().secretId(id("A")).secretVersionNumber(version)
                            .scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails.builder()
                                    .timeOfDeletion(Date.from(h.f.emulator.clock().now().plus(Duration.ofDays(2))))
                                    .build()).build()));
            refused.put(version, e.getStatusCode() + " " + e.getServiceCode());
        }
        assertEquals(Map.of(2L, "409 IncorrectState", 3L, "409 IncorrectState"), refused, "PREVIOUS, CURRENT");
        h.f.vaults().scheduleSecretVersionDeletion(ScheduleSecretVersionDeletionRequest.builder().secretId(id("A"))
                .secretVersionNumber(1L).scheduleSecretVersionDeletionDetails(ScheduleSecretVersionDeletionDetails
                        .builder().timeOfDeletion(Date.from(h.f.emulator.clock().now().plus(Duration.ofDays(2))))
                        .build()).build());
        assertNull(h.f.emulator.vault().listVersions(id("A"), 10, 0, false).items().get(1).get("timeOfDeletion"));
        assertTrue(h.f.emulator.vault().listVersions(id("A"), 10, 0, false).items().get(0).get("timeOfDeletion")
                != null, "DEPRECATED version 1 is pending deletion");
    }
}
