package ocivaultsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.ResultStatus;
import org.junit.jupiter.api.Test;

/** The status rules (docs/ARCHITECTURE.md, "State kept in OCI"): what a pass leaves, as tags, over what was there. */
class PassStatusTest {

    static final Instant T1 = Instant.parse("2026-06-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-06-01T11:00:00Z");

    static PassStatus after(PassStatus before, PassOutcome outcome, String reason, Instant at) {
        return PassStatus.after(Optional.ofNullable(before), outcome, Optional.ofNullable(reason), Optional.of(at));
    }

    @Test
    void sinceHoldsWhileTheOutcomeDoesAndFailuresCountOnAcrossFailedAndPartialPasses() {
        PassStatus ok = after(null, PassOutcome.SUCCEEDED, null, T1);
        assertEquals(new PassStatus(PassOutcome.SUCCEEDED, Optional.of(T1), 0, Optional.empty()), ok);
        assertEquals(ok, after(ok, PassOutcome.SUCCEEDED, null, T2), "a steady pass changes nothing: nothing to write");
        PassStatus f1 = after(ok, PassOutcome.FAILED, "source: down", T1.plusSeconds(60));
        PassStatus f2 = after(f1, PassOutcome.FAILED, "source: still down", T2);
        assertEquals(new PassStatus(PassOutcome.FAILED, Optional.of(T1.plusSeconds(60)), 2,
                Optional.of("source: still down")), f2, "failing since the first failure; the last reason");
        PassStatus p3 = after(f2, PassOutcome.PARTIAL, "X: too large", T2.plusSeconds(60));
        assertEquals(new PassStatus(PassOutcome.PARTIAL, Optional.of(T2.plusSeconds(60)), 3,
                Optional.of("X: too large")), p3, "PARTIAL is a failing pass: counted on");
        PassStatus deferred = after(p3, PassOutcome.DEFERRED, "ignored", T2.plusSeconds(120));
        assertEquals(new PassStatus(PassOutcome.DEFERRED, Optional.of(T2.plusSeconds(120)), 0, Optional.empty()),
                deferred, "a pass that waits has not failed");
        PassStatus blocked = after(deferred, PassOutcome.BLOCKED, "B: withheld by the guard", T2.plusSeconds(180));
        assertEquals(new PassStatus(PassOutcome.BLOCKED, Optional.of(T2.plusSeconds(180)), 1,
                Optional.of("B: withheld by the guard")), blocked, "what waits for a person counts as a failure");
    }

    @Test
    void aPartialPassWhoseOnlyTroubleIsBlockedResultsIsBlockedAndASkippedOneRecordsNothing() {
        SecretResult done = new SecretResult("A", "A", Action.CREATE, ResultStatus.DONE, null, null);
        SecretResult held = new SecretResult("B", "B", Action.DELETE, ResultStatus.BLOCKED, "withheld by the guard",
                null);
        SecretResult failed = new SecretResult("C", "C", Action.CREATE, ResultStatus.FAILED, "too large", null);
        assertEquals(Optional.of(PassOutcome.BLOCKED), PassOutcome.of(partial(new Counts(1, 0, 0, 0, 0, 0, 0, 1, 0, 0),
                done, held)));
        assertEquals(Optional.of(PassOutcome.PARTIAL), PassOutcome.of(partial(new Counts(1, 0, 0, 0, 0, 0, 0, 1, 0, 1),
                done, held, failed)));
        assertEquals(Optional.of(PassOutcome.PARTIAL), PassOutcome.of(partial(new Counts(1, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                done, failed)));
        assertEquals(Optional.of(PassOutcome.DEFERRED), PassOutcome.of(new SyncReport("app", SyncStatus.DEFERRED, false,
                Counts.ZERO, List.of(), null, OciCalls.NONE, 1, null)));
        assertEquals(Optional.empty(), PassOutcome.of(SyncReport.skipped("app")), "a skipped sync ran no pass");
        assertTrue(PassOutcome.BLOCKED.failing() && PassOutcome.PARTIAL.failing() && PassOutcome.FAILED.failing());
        assertFalse(PassOutcome.DEFERRED.failing() || PassOutcome.SUCCEEDED.failing());
    }

    static SyncReport partial(Counts counts, SecretResult... results) {
        return new SyncReport("app", SyncStatus.PARTIAL, false, counts, List.of(results), null, OciCalls.NONE, 1, null);
    }

    @Test
    void theTagsRoundTripAndAnOverlayReplacesTheStatusTagsAloneKeepingEveryOtherTag() {
        PassStatus f = new PassStatus(PassOutcome.FAILED, Optional.of(T1), 4, Optional.of("source: down"));
        Map<String, String> tags = f.overlay(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "7",
                "ovs_reason", "stale", "team", "payments"));
        assertEquals(Map.of("ovs_state", "app", "ovs_mode", "removed", "ovs_gen", "7", "team", "payments",
                "ovs_status", "FAILED", "ovs_status_since", Long.toString(T1.toEpochMilli()), "ovs_failures", "4",
                "ovs_reason", "source: down"), tags);
        assertEquals(Optional.of(f), PassStatus.of(tags));
        Map<String, String> ok = after(f, PassOutcome.SUCCEEDED, null, T2).overlay(tags);
        assertFalse(ok.containsKey("ovs_reason"), "no reason once nothing fails");
        assertEquals("removed", ok.get("ovs_mode"));
    }

    @Test
    void tagsNoPassWroteOrAHandCannotReadHoldNoStatus() {
        assertEquals(Optional.empty(), PassStatus.of(Map.of("ovs_state", "app")));
        assertEquals(Optional.empty(), PassStatus.of(Map.of("ovs_status", "GREAT")));
        assertEquals(Optional.empty(), PassStatus.of(Map.of("ovs_status", "SKIPPED")));
        assertEquals(Optional.of(new PassStatus(PassOutcome.FAILED, Optional.empty(), 0, Optional.empty())),
                PassStatus.of(Map.of("ovs_status", "FAILED", "ovs_status_since", "yesterday", "ovs_failures", "-3")),
                "an outcome with unreadable numbers: the numbers start again");
    }

    @Test
    void theReasonIsTheReportsErrorOrItsFirstFailedOrBlockedResultPrintableAndCutWellUnderOcisLimit() {
        SyncReport failed = SyncReport.failed("app", "source: infisical answered HTTP 401", OciCalls.NONE, 1);
        assertEquals(Optional.of("source: infisical answered HTTP 401"), PassStatus.reasonOf(failed));
        SyncReport partial = new SyncReport("app", SyncStatus.PARTIAL, false, Counts.ZERO, List.of(
                new SecretResult("A", "A", Action.CREATE, ResultStatus.DONE, "not in the destination", null),
                new SecretResult("B", "B", Action.DELETE, ResultStatus.BLOCKED, "withheld by the guard", null),
                new SecretResult("C", "C", Action.CREATE, ResultStatus.FAILED, "too large", null)), null,
                OciCalls.NONE, 1, null);
        assertEquals(Optional.of("B: withheld by the guard"), PassStatus.reasonOf(partial));

        String shortened = after(null, PassOutcome.FAILED, "line one\r\n\tline two \u2026 caf\u00e9 " + "x".repeat(300),
                T1).reason().orElseThrow();
        assertEquals(PassStatus.MAX_REASON, shortened.length());
        assertTrue(shortened.startsWith("line one line two ? caf? xxx"), shortened);
        assertTrue(shortened.endsWith("..."), shortened);
        assertTrue(shortened.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only");
        assertTrue(PassStatus.MAX_REASON <= 256 / 2 + 32, "well under OCI's 256 characters per tag value");
        String exact = "y".repeat(PassStatus.MAX_REASON);
        assertEquals(exact, after(null, PassOutcome.FAILED, exact, T1).reason().orElseThrow(), "a reason that fits is "
                + "kept whole");
        assertEquals("no reason given", after(null, PassOutcome.FAILED, null, T1).reason().orElseThrow());
    }
}
