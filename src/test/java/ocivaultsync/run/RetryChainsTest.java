package ocivaultsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.report.Trigger;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.requeue.RetryMessage;
import org.junit.jupiter.api.Test;

/** The join rules of retry chains: a trigger that joins never loses its work. */
class RetryChainsTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String CHAIN = "app/sync";

    static RetryMessage work(Trigger origin, Verify verify, boolean force, Set<String> deep, Instant notBefore) {
        return new RetryMessage("app", Operation.SYNC, origin, force, verify, false, deep, 1, notBefore);
    }

    final RetryChains chains = new RetryChains(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPendingRetryCoversOnlyWorkItDoes() {
        RetryMessage fast = work(Trigger.SCHEDULE, Verify.FAST, false, Set.of("S"), NOW.plusSeconds(15));
        assertTrue(RetryChains.covers(fast, work(Trigger.OCI_EVENT, Verify.FAST, false, Set.of("S"), NOW)));
        assertFalse(RetryChains.covers(fast, work(Trigger.OCI_EVENT, Verify.FAST, false, Set.of("S", "T"), NOW)),
                "a deep id it would not check");
        assertFalse(RetryChains.covers(fast, work(Trigger.MANUAL, Verify.DEEP, false, Set.of(), NOW)), "deep");
        assertFalse(RetryChains.covers(fast, work(Trigger.MANUAL, Verify.FAST, true, Set.of(), NOW)), "force");
        assertFalse(RetryChains.covers(fast, work(Trigger.MANUAL, Verify.FAST, false, Set.of(), NOW)),
                "an automatic chain skips a sync with auto-sync off");
        RetryMessage deep = work(Trigger.MANUAL, Verify.DEEP, false, Set.of(), NOW.plusSeconds(15));
        assertTrue(RetryChains.covers(deep, work(Trigger.OCI_EVENT, Verify.FAST, false, Set.of("S", "T"), NOW)));
        RetryMessage remove = new RetryMessage("app", Operation.REMOVE, Trigger.MANUAL, true, Verify.DEEP,
                false, Set.of(), 1, NOW);
        assertFalse(RetryChains.covers(remove, work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW)));
    }

    @Test
    void aManualOperationDropsThePendingRetriesOfTheSyncsOtherOperationsOnly() {
        RetryMessage sync = work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW.plusSeconds(15));
        chains.schedule(CHAIN, () -> Optional.of(sync));
        chains.schedule("other/sync", () -> Optional.of(sync));
        RetryMessage remove = new RetryMessage("app", Operation.REMOVE, Trigger.MANUAL, false, Verify.FAST, false,
                Set.of(), 1, NOW.plusSeconds(15));
        chains.schedule("app/remove", () -> Optional.of(remove));
        chains.supersede("app", Operation.REMOVE);
        RetryMessage schedule = work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW);
        assertNull(chains.pendingCovering(CHAIN, schedule), "stale: a trigger must not join it");
        assertSame(sync, chains.pendingCovering("other/sync", schedule), "another sync's chain stays");
        assertSame(remove, chains.pendingCovering("app/remove", remove), "the remove's own chain stays");
    }

    @Test
    void aMergedRetryKeepsTheChainStartOfThePartWhoseOriginItKeeps() {
        Instant manualStart = NOW.minusSeconds(60);
        RetryMessage manual = new RetryMessage("app", Operation.SYNC, Trigger.MANUAL, false, Verify.FAST, false,
                Set.of(), 1, NOW.plusSeconds(15), manualStart);
        RetryMessage webhook = new RetryMessage("app", Operation.SYNC, Trigger.INFISICAL_WEBHOOK, false, Verify.FAST,
                false, Set.of(), 0, NOW, NOW);
        assertEquals(manualStart, RetryChains.merge(manual, webhook).since(),
                "a webhook's later time must not make a stale manual sync look newer than a later remove");
        assertEquals(Trigger.MANUAL, RetryChains.merge(webhook, manual).origin());
        assertEquals(manualStart, RetryChains.merge(webhook, manual).since());
    }

    @Test
    void aPendingRetryIsJoinedOnlyUntilItIsDue() {
        RetryMessage due = work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW);
        chains.schedule(CHAIN, () -> Optional.of(due));
        assertNull(chains.pendingCovering(CHAIN, work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW)),
                "due: it may have run already, wherever it ran");
        RetryMessage later = work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW.plusSeconds(1));
        chains.schedule(CHAIN, () -> Optional.of(later));
        assertSame(later, chains.pendingCovering(CHAIN, work(Trigger.SCHEDULE, Verify.FAST, false, Set.of(), NOW)));
    }

    @Test
    void workJoinedWhileAPassRunsIsHandedToItsExitAtomically() {
        assertEquals(RetryChains.Entry.OWNER, chains.enter(CHAIN, work(Trigger.SCHEDULE, Verify.FAST, false,
                Set.of(), NOW), true));
        assertEquals(RetryChains.Entry.ALONGSIDE, chains.enter(CHAIN, work(Trigger.MANUAL, Verify.DEEP, true,
                Set.of(), NOW), false), "a manual run never joins");
        assertEquals(RetryChains.Entry.JOINED, chains.enter(CHAIN, work(Trigger.OCI_EVENT, Verify.FAST, false,
                Set.of("S"), NOW), true));
        assertEquals(RetryChains.Entry.JOINED, chains.enter(CHAIN, work(Trigger.INFISICAL_WEBHOOK, Verify.FAST,
                false, Set.of("T"), NOW), true));
        RetryMessage joined = chains.exit(CHAIN);
        assertEquals(Set.of("S", "T"), joined.deepSecretIds(), "the union of what joined");
        assertNull(chains.exit(CHAIN));
        assertEquals(RetryChains.Entry.OWNER, chains.enter(CHAIN, work(Trigger.SCHEDULE, Verify.FAST, false,
                Set.of(), NOW), true), "after the exit a trigger starts its own pass");
        assertNull(chains.exit(CHAIN), "nothing joined");
    }

    @Test
    void mergedWorkDoesBoth() {
        RetryMessage m = RetryChains.merge(work(Trigger.SCHEDULE, Verify.FAST, false, Set.of("S"), NOW),
                work(Trigger.MANUAL, Verify.DEEP, true, Set.of("T"), NOW));
        assertEquals(Trigger.MANUAL, m.origin());
        assertEquals(Verify.DEEP, m.verify());
        assertTrue(m.force());
        assertEquals(Set.of("S", "T"), m.deepSecretIds());
    }
}
