package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.Faults;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.emulator.SecretUpdate;
import ocivaultsync.reconcile.ImportSink;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's last word holds (docs/ARCHITECTURE.md, "Reconcile rules"), end to end against the emulator with two
 * function containers (two runners on one vault: one source, separate memories, their own clocks), each failure the
 * product once had as its own test. They reach the product only through its functions, so each also runs against a
 * release before this design, where it fails.
 */
class LastWordTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(0));

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    /** Two containers of the one function: same source file, same vault. */
    Harness a;
    Harness b;

    /**
     * The emulator both containers share; {@link LastWordWithTransitionsTest} runs every test again with OCI's states
     * lasting.
     */
    EmulatorFixture emulator() {
        return EMULATOR.fixture();
    }

    @BeforeEach
    void setUp() {
        Clock oci = Harness.clockOf(emulator().emulator.clock());
        a = new Harness(emulator(), dir, oci);
        // B's clock is a minute behind OCI's (and A's).
        b = new Harness(emulator(), dir, Clock.offset(oci, Duration.ofSeconds(-60)));
    }


    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    static SyncReport call(Harness h, String function, String body) {
        return h.call(function, body, Map.of()).syncs().get(0);
    }

    static SyncReport remove(Harness h) {
        return call(h, "remove", "{\"sync\":\"app\"}");
    }

    static SyncReport schedule(Harness h) {
        return call(h, "event", "{\"trigger\":\"schedule\"}");
    }

    /** The OCI event of a change to {@code id}, stamped by OCI's clock now. */
    String event(String type, String id) {
        return """
                {"eventType": "com.oraclecloud.vaultsecret.%s", "cloudEventsVersion": "0.1", "eventTypeVersion": "2.0",
                 "source": "vaultsecret", "eventTime": "%s", "contentType": "application/json", "eventID": "e-%s",
                 "data": {"compartmentId": "%s", "resourceName": "x", "resourceId": "%s", "additionalDetails": {}}}
                """.formatted(type, a.f.emulator.clock().now(), id, a.f.compartmentId(), id);
    }

    List<String> states() {
        return a.secrets().values().stream().filter(s -> !s.name().startsWith("ovs-state-"))
                .map(s -> s.name() + " " + s.state()).sorted().toList();
    }

    @Test
    void aRemoveHoldsAgainstTheEventsOfItsOwnWritesInAnotherContainerAndTheNextSchedule() {
        a.source(Map.of("A", "1", "B", "2", "C", "3"));
        assertEquals(3, call(a, "sync", "{}").counts().create());
        assertEquals(3, remove(a).counts().delete());
        a.f.emulator.clock().advance(Duration.ofMinutes(2));
        // Every write comes back as an OCI event; another container gets them (its own-write memory is empty).
        for (var s : a.secrets().values()) {
            SyncReport r = b.call("event", event("updatesecret", s.id()), Map.of()).syncs().stream().findFirst()
                    .orElse(null);
            assertTrue(r == null || r.counts().restore() == 0, "event on " + s.name() + ": " + r);
        }
        SyncReport hourly = schedule(a); // auto-sync on, the default: the hourly schedule runs it
        assertEquals(0, hourly.counts().restore(), hourly.toString());
        assertEquals(List.of("A PENDING_DELETION", "B PENDING_DELETION", "C PENDING_DELETION"), states());
    }

    @Test
    void aRemoveSlowedAfterItRecordedItselfWritesNothingOnceANewerSyncIsRecorded() {
        a.source(Map.of("A", "1", "B", "2"));
        call(a, "sync", "{}");
        AtomicBoolean synced = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        // A's remove is slow once it has recorded itself (its first write): meanwhile B's sync starts and finishes.
        a.wrapVault(v -> (VaultPort) Proxy.newProxyInstance(VaultPort.class.getClassLoader(),
                new Class<?>[] {VaultPort.class}, (proxy, m, args) -> {
                    String name = m.getName();
                    if (writes.get() > 0 && !name.equals("list") && !name.equals("findByName")
                            && !name.equals("serverNow") && synced.compareAndSet(false, true)) {
                        assertEquals(SyncStatus.SUCCEEDED, call(b, "sync", "{}").status());
                    }
                    try {
                        return m.invoke(v, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (List.of("create", "update").contains(name)) {
                            writes.incrementAndGet();
                        }
                    }
                }));
        SyncReport removal = remove(a);
        assertTrue(synced.get());
        assertEquals(0, removal.counts().delete(), removal.toString());
        assertEquals(List.of("A ACTIVE", "B ACTIVE"), states(), "the newer sync holds");
    }

    @Test
    void aSyncSlowedReadingTheSourceCreatesNothingOnceANewerRemoveIsRecorded() {
        a.source(Map.of("A", "1"));
        call(a, "sync", "{}");
        a.source(Map.of("A", "1", "NEW", "n"));
        AtomicBoolean removed = new AtomicBoolean();
        a.wrapSource(s -> new SecretSource() {
            @Override
            public SourceSnapshot fetch() {
                if (removed.compareAndSet(false, true)) { // a slow Infisical: B's remove starts and finishes
                    assertEquals(1, remove(b).counts().delete());
                }
                return s.fetch();
            }

            @Override
            public Map<String, ImportSink.Outcome> write(Map<String, SecretValue> values) {
                return s.write(values);
            }
        });
        SyncReport slow = call(a, "sync", "{}");
        assertTrue(removed.get());
        assertEquals(0, slow.counts().create(), slow.toString());
        assertEquals(List.of("A PENDING_DELETION"), states(), "NEW never created after the newer remove");
    }

    @Test
    void aRemoveInAContainerWhoseClockIsAMinuteBehindIsNotUndoneByAnEarlierSyncsRetry() {
        a.source(Map.of("A", "1", "B", "2"));
        call(a, "sync", "{}");
        a.f.emulator.vault().force(a.secret("A").id(), SecretState.UPDATING, 60, SecretState.ACTIVE);
        a.source(Map.of("A", "changed", "B", "2"));
        assertEquals(SyncStatus.DEFERRED, call(a, "sync", "{}").status());
        var retry = a.requeuer.retries.get(0);
        // Seconds later B, whose clock is a minute behind, removes the sync: by the clocks, before A's sync.
        SyncReport removal = remove(b);
        assertEquals(List.of("A DELETE DEFERRED", "B DELETE DONE"), lines(removal));
        a.f.emulator.clock().advance(Duration.ofSeconds(62));
        SyncReport late;
        try {
            late = a.call("event", JSON.writeValueAsString(retry.at(retry.attempt(), Instant.EPOCH).toJson()),
                    Map.of()).syncs().get(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(0, late.counts().restore(), late.toString());
        assertEquals(0, late.counts().update(), late.toString());
        assertEquals(List.of("A PENDING_DELETION", "B PENDING_DELETION"), states(),
                "A's retry finished the remove: OCI's order of the two operations, not the clocks'");
    }

    @Test
    void aStateSecretTheUserDeletesStaysDeletedAndARemoveStillWorksOnceItIsPurged() {
        a.seed("X1", "untagged, fits", Map.of(), null);
        a.seed("X2", "untagged, fits", Map.of(), null);
        a.seed("X3", "untagged, fits", Map.of(), null);
        a.seed("X4", "untagged, fits", Map.of(), null);
        a.source(Map.of("A", "1"));
        SyncReport guarded = call(a, "sync", "{}");
        assertEquals(4, guarded.counts().blocked(), "the initial run's deletions wait for a forced run");
        String state = a.secrets().values().stream().filter(s -> s.name().startsWith("ovs-state-")).findFirst()
                .orElseThrow().name();
        a.f.emulator.vault().scheduleDeletion(a.secret(state).id(), a.f.emulator.clock().now()
                .plus(Duration.ofDays(7)), null);
        // The user ended the initial run: the next forced pass is not initial, and deletes nothing untagged.
        SyncReport forced = call(b, "sync", "{\"force\":true}");
        assertEquals(0, forced.counts().delete(), forced.toString());
        assertEquals("PENDING_DELETION", a.state(state), "the user's deletion was not cancelled");
        assertEquals(List.of("A ACTIVE", "X1 ACTIVE", "X2 ACTIVE", "X3 ACTIVE", "X4 ACTIVE"), states());
        a.f.emulator.clock().advance(Duration.ofDays(8)); // purged: DELETED, and its name still reserved
        SyncReport removal = remove(a);
        assertEquals(SyncStatus.SUCCEEDED, removal.status(), removal.toString());
        assertEquals("PENDING_DELETION", a.state("A"));
    }

    @Test
    void aRemoveNeedsNoSource() {
        a.source(Map.of("A", "1", "B", "2"));
        call(a, "sync", "{}");
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        a.wrapSource(s -> new SecretSource() {
            @Override
            public SourceSnapshot fetch() {
                reads.incrementAndGet();
                throw new SourceException("infisical cannot be reached");
            }

            @Override
            public Map<String, ImportSink.Outcome> write(Map<String, SecretValue> values) {
                throw new SourceException("infisical cannot be reached");
            }
        });
        SyncReport removal = remove(a);
        assertEquals(SyncStatus.SUCCEEDED, removal.status(), removal.toString());
        assertEquals(List.of("A PENDING_DELETION", "B PENDING_DELETION"), states());
        // Nor does any later pass toward `removed`: the schedule, a nudge (a remove's retry or hand-off).
        SyncReport hourly = schedule(a);
        assertEquals(SyncStatus.SUCCEEDED, hourly.status(), hourly.toString());
        SyncReport nudged = call(a, "event", "{\"retry\":{\"sync\":\"app\",\"attempt\":1,"
                + "\"notBefore\":\"1970-01-01T00:00:00Z\"}}");
        assertEquals(SyncStatus.SUCCEEDED, nudged.status(), nudged.toString());
        assertEquals(0, reads.get(), "a removed sync's source is never read");
        assertEquals(List.of("A PENDING_DELETION", "B PENDING_DELETION"), states());
    }

    @Test
    void versionPruningLeavesASecretTakenOutOfManagementAndAnotherSyncsKeepVersionsAlone() {
        String two = """
                fingerprintKey: {value: e2e-fingerprint-key-0123456789abcdef}
                syncs:
                  - name: app
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "app-{{secretKey}}", keepVersions: 10}
                  - name: tight
                    source: {type: file, path: SECRETS}
                    destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                    options: {keySchema: "tight-{{secretKey}}", keepVersions: 2}
                """;
        a.raw(two, null);
        a.source(Map.of("T", "v0"));
        call(a, "sync", "{\"sync\":\"app\"}");
        String id = a.secret("app-T").id();
        for (int i = 1; i <= 11; i++) { // app-T reaches version 12: due for pruning in container A
            a.source(Map.of("T", "v" + i));
            call(a, "sync", "{\"sync\":\"app\"}");
        }
        int versions = a.secret("app-T").versionCount();
        long prunedWhileOwned = pendingVersions(id);
        // The user takes app-T out of management (removes its tags), then another sync of the same container runs.
        a.f.emulator.vault().update(id, new SecretUpdate(null, null, null, false, Map.of("team", "keeps-it"), null,
                null, null), null);
        call(a, "sync", "{\"sync\":\"tight\"}");
        call(a, "sync", "{\"sync\":\"app\"}");
        assertEquals(prunedWhileOwned, pendingVersions(id), "no version of a secret nobody manages is deleted");
        assertEquals(versions, a.secret("app-T").versionCount());
    }

    long pendingVersions(String id) {
        return a.f.emulator.vault().listVersions(id, 100, 0, false).items().stream()
                .filter(v -> v.get("timeOfDeletion") != null).count();
    }

    @Test
    void aLostUpdateAnswerMakesNoSecondVersionAndAnotherWritersTagSurvives() {
        a.source(Map.of("A", "1"));
        call(a, "sync", "{}");
        String id = a.secret("A").id();
        // The answer to the next UpdateSecret of A is lost after OCI carried it out; the SDK sends it again.
        a.source(Map.of("A", "2"));
        a.f.emulator.faults().add(new Faults.Rule("UpdateSecret", 500, 1.0, 1, 0, true, false));
        a.f.emulator.calls().reset();
        schedule(a);
        assertEquals(2, a.secret("A").currentVersionNumber(), "one new version, not two");
        // Someone tags A between a pass's listing and its write.
        a.source(Map.of("A", "3"));
        a.wrapVault(v -> (VaultPort) Proxy.newProxyInstance(VaultPort.class.getClassLoader(),
                new Class<?>[] {VaultPort.class}, (proxy, m, args) -> {
                    Object out;
                    try {
                        out = m.invoke(v, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals("list")) {
                        Map<String, String> tags = new java.util.HashMap<>(a.f.secretViews().stream()
                                .filter(s -> s.id().equals(id)).findFirst().orElseThrow().tags());
                        tags.put("cost-center", "42");
                        a.f.emulator.vault().update(id, new SecretUpdate(null, null, null, false, tags, null, null,
                                null), null);
                    }
                    return out;
                }));
        schedule(a);
        assertEquals("42", a.tags("A").get("cost-center"), "written back with ours");
        assertEquals("3", a.value("A"));
        assertNotEquals(null, a.tags("A").get("ovs_fp"));
        assertEquals(Set.of("A"), Set.copyOf(a.secrets().keySet().stream().filter(n -> !n.startsWith("ovs-state-"))
                .toList()));
    }
}
