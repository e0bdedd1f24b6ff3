package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture.SecretView;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.report.PassOutcome;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.StatusReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.infisical.InfisicalTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync's status (README, "Calling it": {@code status}; docs/ARCHITECTURE.md, "State kept in OCI") end to end: kept
 * on its state secret by the passes, only when it changes, read back by the {@code status} function from one listing.
 * A second container (a second runner on the same vault) interleaves where the two containers of OCI Functions can.
 */
class StatusEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(0));

    static final String BROKEN = "A: [unclosed\n";

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir, Harness.clockOf(EMULATOR.fixture().emulator.clock()));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    void breakSource() {
        try {
            Files.writeString(h.secretsFile, BROKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Long> calls() {
        return h.f.emulator.calls().snapshot();
    }

    Map<String, String> statusTags() {
        Map<String, String> tags = new HashMap<>(h.tags("ovs-state-app"));
        tags.keySet().retainAll(PassStatus.TAGS);
        return tags;
    }

    @Test
    void aFailingSyncShowsFailedWithItsReasonAndACountThatGrowsUntilItRecovers() {
        h.source(Map.of("A", "1", "B", "2"));
        assertEquals(SyncStatus.SUCCEEDED, h.sync().status());
        StatusReport.Sync ok = h.status();
        assertEquals(new StatusReport.Sync("app", "active", true, PassOutcome.SUCCEEDED, ok.since(), 0, null, true,
                "sync", false, "ovs-state-app", null), ok);
        Instant okSince = Instant.parse(ok.since());

        h.f.emulator.clock().advance(java.time.Duration.ofMinutes(1)); // OCI's Date header counts whole seconds
        breakSource();
        SyncReport f1 = h.pass();
        assertEquals(SyncStatus.FAILED, f1.status());
        StatusReport.Sync s1 = h.status();
        assertEquals(PassOutcome.FAILED, s1.outcome());
        assertEquals(1, s1.consecutiveFailures());
        assertEquals(f1.error(), s1.reason(), "the report's error, short enough to keep whole");
        assertTrue(s1.reason().startsWith("source: "), s1.reason());
        Instant failingSince = Instant.parse(s1.since());
        assertTrue(failingSince.isAfter(okSince), "by OCI's clock: " + okSince + " then " + failingSince);

        h.f.emulator.clock().advance(java.time.Duration.ofMinutes(5));
        h.pass();
        StatusReport.Sync s2 = h.status();
        assertEquals(2, s2.consecutiveFailures(), "a failure more");
        assertEquals(s1.since(), s2.since(), "failing since the first failure");

        // A value too large for OCI fails that secret alone: PARTIAL, a failing pass too.
        h.source(Map.of("A", "1", "B", "2", "BIG", "x".repeat(25_601)));
        assertEquals(SyncStatus.PARTIAL, h.pass().status());
        StatusReport.Sync s3 = h.status();
        assertEquals(PassOutcome.PARTIAL, s3.outcome());
        assertEquals(3, s3.consecutiveFailures(), "PARTIAL counts on");
        assertEquals("BIG: the value is larger than OCI Vault allows: 25601 bytes; OCI Vault stores at most 25600",
                s3.reason(), "the first failing result, by name");
        assertTrue(Instant.parse(s3.since()).isAfter(failingSince), "a new outcome, a new since");

        h.source(Map.of("A", "1", "B", "2"));
        assertEquals(SyncStatus.SUCCEEDED, h.pass().status());
        StatusReport.Sync back = h.status();
        assertEquals(PassOutcome.SUCCEEDED, back.outcome());
        assertEquals(0, back.consecutiveFailures());
        assertNull(back.reason(), "no reason while nothing fails");
        assertEquals(Map.of("ovs_status", "SUCCEEDED", "ovs_failures", "0", "ovs_status_since",
                Long.toString(Instant.parse(back.since()).toEpochMilli())), statusTags());

        h.f.emulator.calls().reset();
        SyncReport steady = h.pass();
        assertEquals(SyncStatus.SUCCEEDED, steady.status());
        assertEquals(Map.of("ListSecrets", 1L), calls(), "a steady pass stays SUCCEEDED: list calls only, no write");
        h.f.emulator.calls().reset();
        h.status();
        assertEquals(Map.of("ListSecrets", 1L), calls(), "status: one listing, no secret read");
    }

    /**
     * A sync whose passes hold back deletions for a person to decide (the guard) shows BLOCKED, not PARTIAL: nothing
     * failed, but it counts as a failing pass (what it withholds stays out of sync), so the failing-sync alarm reaches
     * someone; a forced sync decides it.
     */
    @Test
    void deletionsTheGuardWithholdsShowBlockedWithTheFirstHeldNameUntilAForcedSyncDecides() {
        h.source(Map.of("A", "1", "B", "2", "C", "3", "D", "4", "E", "5"));
        assertEquals(SyncStatus.SUCCEEDED, h.sync().status());
        h.source(Map.of("A", "1"));
        SyncReport held = h.pass();
        assertEquals(SyncStatus.PARTIAL, held.status(), "the report's status is the contract's: PARTIAL");
        StatusReport.Sync s1 = h.status();
        assertEquals(PassOutcome.BLOCKED, s1.outcome());
        assertEquals(1, s1.consecutiveFailures());
        assertTrue(s1.reason().startsWith("B: "), s1.reason());
        h.f.emulator.clock().advance(java.time.Duration.ofMinutes(5));
        h.pass();
        assertEquals(2, h.status().consecutiveFailures(), "a failure more while it waits");
        assertEquals(SyncStatus.SUCCEEDED, h.sync(q -> q.withForce(true)).status());
        StatusReport.Sync decided = h.status();
        assertEquals(PassOutcome.SUCCEEDED, decided.outcome());
        assertEquals(0, decided.consecutiveFailures());
    }

    @Test
    void aSyncWhoseFirstPassFailsGetsAStateSecretThatShowsIt() {
        StatusReport.Sync never = h.status();
        assertEquals(new StatusReport.Sync("app", "active", true, null, null, 0, null, false, null, false, null,
                null), never, "no pass has run: nothing recorded, no state secret");
        breakSource();
        assertEquals(SyncStatus.FAILED, h.pass().status());
        StatusReport.Sync failed = h.status();
        assertEquals(PassOutcome.FAILED, failed.outcome());
        assertEquals(1, failed.consecutiveFailures());
        assertEquals("ovs-state-app", failed.stateSecret());
        assertEquals(null, failed.operation(), "no manual operation asked for anything: no intent recorded");
        Map<String, String> tags = new HashMap<>(h.tags("ovs-state-app"));
        tags.keySet().removeAll(PassStatus.TAGS);
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "active", "ovs_gen", "0", "ovs_initial", "done"), tags,
                "a state secret holding no intent: the sync is active, as without one");
        assertEquals(Map.of(), h.valueSecrets());
    }

    @Test
    void everySyncIsReadFromOneListingOfItsVaultAndAVaultThatCannotBeListedSaysSo() {
        h.source(Map.of("A", "1"));
        h.config(h.newConfig().sync("app", s -> s.keySchema("app-{{secretKey}}"))
                .sync("other", s -> s.keySchema("other-{{secretKey}}").autoSync(false))
                .sync("lost", s -> s.keySchema("lost-{{secretKey}}").destination("eu-frankfurt-1",
                        h.f.compartmentId(), "ocid1.vault.oc1.eu-frankfurt-1.notmine", h.f.keyId())));
        h.call("sync", "{\"sync\":\"app\"}", Map.of());
        h.f.emulator.calls().reset();
        StatusReport all = h.status("{}");
        assertEquals(List.of("app", "other", "lost"), all.syncs().stream().map(StatusReport.Sync::name).toList());
        assertEquals(PassOutcome.SUCCEEDED, all.syncs().get(0).outcome());
        assertEquals(new StatusReport.Sync("other", "active", false, null, null, 0, null, false, null, false, null,
                null), all.syncs().get(1));
        StatusReport.Sync lost = all.syncs().get(2);
        assertNull(lost.outcome());
        assertTrue(lost.error().startsWith("destination: cannot list the vault's secrets: OCI NotAuthorizedOrNotFound "
                + "(HTTP 404"), lost.error());
        assertEquals(Map.of("ListSecrets", 2L), calls(), "one listing per vault, whatever the syncs it holds");
        assertEquals(List.of("lost"), h.status("{\"sync\":\"lost\"}").syncs().stream()
                .map(StatusReport.Sync::name).toList());
    }

    /**
     * Two containers (docs/ARCHITECTURE.md, "State kept in OCI"): a status write is a compare-and-set overlaying the
     * status tags alone on a fresh read, so it never undoes or reorders an intent recorded meanwhile, and a count
     * another container wrote meanwhile is counted on.
     */
    @Test
    void aStatusWriteNeverLosesAnIntentOrACountAnotherContainerWroteBetweenItsReadAndItsWrite() {
        Harness b = new Harness(EMULATOR.fixture(), dir, Harness.clockOf(EMULATOR.fixture().emulator.clock()));
        try {
            h.source(Map.of("A", "1"));
            assertEquals(SyncStatus.SUCCEEDED, h.sync().status());
            breakSource();
            assertEquals(SyncStatus.FAILED, h.pass().status());
            String stateId = h.secret("ovs-state-app").id();

            // A fails again; between its GetSecret and its UpdateSecret, B's pass fails and writes its count.
            AtomicBoolean raced = new AtomicBoolean();
            h.wrapVault(v -> racing(v, stateId, raced, () -> assertEquals(SyncStatus.FAILED, b.pass().status())));
            assertEquals(SyncStatus.FAILED, h.pass().status());
            assertTrue(raced.get());
            assertEquals(3, h.status().consecutiveFailures(), "A's write met B's (412), read it again and counted on");

            // Again, and this time B records a remove in between: A's write meets it and stops.
            raced.set(false);
            h.wrapVault(v -> racing(v, stateId, raced, () -> assertEquals(1, b.call("remove", "{\"sync\":\"app\"}",
                    Map.of()).syncs().get(0).counts().delete())));
            assertEquals(SyncStatus.FAILED, h.pass().status());
            assertTrue(raced.get());
            StatusReport.Sync after = h.status();
            assertEquals("removed", after.mode(), "the remove recorded between A's read and write holds");
            assertEquals("remove", after.operation());
            assertEquals(PassOutcome.SUCCEEDED, after.outcome(), "the remove's own pass; A's failure, toward the "
                    + "intent the remove replaced, is not written over it");
            assertEquals(0, after.consecutiveFailures());
            assertEquals("PENDING_DELETION", h.state("A"));
        } finally {
            b.close();
        }
    }

    /** The vault port of a container that lets {@code between} run just before its first status write. */
    static VaultPort racing(VaultPort v, String stateId, AtomicBoolean raced, Runnable between) {
        return (VaultPort) Proxy.newProxyInstance(VaultPort.class.getClassLoader(), new Class<?>[] {VaultPort.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("update") && stateId.equals(args[0]) && args[1] == null
                            && raced.compareAndSet(false, true)) {
                        between.run();
                    }
                    try {
                        return m.invoke(v, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Every write of a state secret comes back as an OCI event, to whichever container OCI picks. Were those events to
     * run passes, a failing sync would loop (write, event, pass, failure, write, ...), logging in to Infisical each
     * time. They run nothing: the failing sync's count grows by one per pass that was asked for, and no more.
     */
    @Test
    void aFailingSyncDoesNotLoopThroughTheEventsOfItsOwnStatusWrites() throws Exception {
        Harness b = new Harness(EMULATOR.fixture(), dir, Clock.systemUTC());
        try (InfisicalTestServer infisical = new InfisicalTestServer(h.clock).identity("id", "the-right-secret")) {
            infisical.put("proj-1", "prod", "/", "A", "1");
            for (Harness c : List.of(h, b)) {
                c.infisical(s -> s.infisicalSource(infisical.url(), "proj-1", "prod").auth("id", "a-wrong-secret"));
            }
            assertEquals(SyncStatus.FAILED, h.pass().status());
            int logins = infisical.logins();
            for (int round = 1; round <= 3; round++) {
                SecretView state = h.secret("ovs-state-app");
                assertEquals(Integer.toString(round), state.tags().get("ovs_failures"));
                // The event of the last write, delivered to both containers; and once more without its tags (an
                // envelope that carries none is known by the name).
                for (Harness c : List.of(h, b)) {
                    // And with neither, to the container whose passes listed it: it knows it by its OCID.
                    List<String> events = c == h
                            ? List.of(event(state, true), event(state, false), event(state, false, false))
                            : List.of(event(state, true), event(state, false));
                    for (String event : events) {
                        RunReport r = c.call("event", event, Map.of());
                        assertEquals(List.of(), r.syncs(), "an event on a state secret runs no pass");
                    }
                }
                assertEquals(logins, infisical.logins(), "no login: no pass ran");
                assertEquals(state.tags(), h.secret("ovs-state-app").tags(), "nothing written: the loop stops here");
                // The next pass asked for (the schedule) fails and counts once.
                h.clock.advance(java.time.Duration.ofMinutes(6));
                assertEquals(SyncStatus.FAILED, h.pass().status());
                logins = infisical.logins();
            }
            assertEquals(4, h.status().consecutiveFailures());
        } finally {
            b.close();
        }
    }

    /** The OCI event of the last write of {@code s}, as OCI Events delivers it (its tags in the envelope's data). */
    String event(SecretView s, boolean withTags) throws IOException {
        return event(s, withTags, true);
    }

    /** As {@link #event(SecretView, boolean)}, with or without the secret's name too. */
    String event(SecretView s, boolean withTags, boolean withName) throws IOException {
        Map<String, Object> data = new HashMap<>(Map.of("compartmentId", h.f.compartmentId(), "resourceId", s.id(),
                "additionalDetails", Map.of()));
        if (withName) {
            data.put("resourceName", s.name());
        }
        if (withTags) {
            data.put("freeformTags", s.tags());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
                "eventType", "com.oraclecloud.vaultsecret.updatesecret", "cloudEventsVersion", "0.1",
                "eventTypeVersion", "2.0", "source", "vaultsecret", "eventTime",
                h.f.emulator.clock().now().plusSeconds(120).toString(), "contentType", "application/json",
                "eventID", "e-" + s.id(), "data", data));
    }

    @Test
    void aStateSecretEditedByHandFailsEveryPassAndStatusSaysSoWithNothingWritten() {
        h.source(Map.of("A", "1"));
        h.sync();
        String id = h.secret("ovs-state-app").id();
        Map<String, String> tags = new HashMap<>(h.tags("ovs-state-app"));
        tags.put("ovs_mode", "paused");
        h.f.emulator.vault().update(id, new ocivaultsync.emulator.SecretUpdate(null, null, null, false, tags, null,
                null, null), null);
        SyncReport r = h.pass();
        assertEquals(SyncStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("destination: the state secret ovs-state-app (" + id + ") is tagged "
                + "ovs_state=app but the claim of its tags does not verify"), r.error());
        assertEquals(tags, h.tags("ovs-state-app"), "nothing written: a record this function did not sign is never "
                + "signed over, not even for its status");
        StatusReport.Sync s = h.status();
        assertNull(s.outcome(), "the outcome it claims is not shown as the sync's");
        assertEquals(r.error(), s.error(), "status says what every pass meets");
    }
}
