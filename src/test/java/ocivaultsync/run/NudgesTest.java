package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import ocivaultsync.requeue.Nudge;
import org.junit.jupiter.api.Test;

/** One pending nudge per sync per container; triggers during a pass mark it dirty instead of joining chains. */
class NudgesTest {

    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    final Nudges nudges = new Nudges(Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void aTriggerDuringAPassMarksTheSyncDirtyWithTheUnionOfItsDeepIdsAndThePassEndsWithThem() {
        assertEquals(Nudges.Entry.RUN, nudges.enter("app", Set.of(), true));
        assertEquals(Nudges.Entry.DIRTY, nudges.enter("app", Set.of("s1"), true));
        assertEquals(Nudges.Entry.DIRTY, nudges.enter("app", Set.of("s2"), true));
        assertEquals(Nudges.Entry.DIRTY, nudges.enter("app", Set.of(), true));
        assertEquals(Set.of("s1", "s2"), nudges.exit("app"));
        assertEquals(Nudges.Entry.RUN, nudges.enter("app", Set.of(), true), "ended: the next trigger runs");
        assertNull(nudges.exit("app"), "nothing arrived meanwhile");
    }

    @Test
    void aManualRunOrANudgeNeverJoinsItRunsAlongside() {
        nudges.enter("app", Set.of(), true);
        assertEquals(Nudges.Entry.ALONGSIDE, nudges.enter("app", Set.of(), false));
        assertNull(nudges.exit("app"), "and marks nothing dirty");
    }

    @Test
    void aPendingNudgeCoversTriggersWhoseDeepIdsItChecksUntilItIsDue() {
        nudges.sent(new Nudge("app", 1, T0.plusSeconds(15), Set.of("s1")));
        assertEquals(Nudges.Entry.COVERED, nudges.enter("app", Set.of(), true));
        assertEquals(Nudges.Entry.COVERED, nudges.enter("app", Set.of("s1"), true));
        assertEquals(Nudges.Entry.RUN, nudges.enter("app", Set.of("s2"), true), "a secret it would not check");
        nudges.exit("app");
        Nudges later = new Nudges(Clock.fixed(T0.plusSeconds(15), ZoneOffset.UTC));
        later.sent(new Nudge("app", 1, T0.plusSeconds(15), Set.of()));
        assertEquals(Nudges.Entry.RUN, later.enter("app", Set.of(), true),
                "once due it may already be running elsewhere, past where it would see this trigger");
    }

    @Test
    void aDeliveredNudgeIsNoLongerPendingOnlyItsOwnAttempt() {
        nudges.sent(new Nudge("app", 2, T0.plusSeconds(30), Set.of()));
        nudges.delivered("app", 1);
        assertEquals(2, nudges.pending("app").attempt());
        nudges.delivered("app", 2);
        assertNull(nudges.pending("app"));
    }
}
