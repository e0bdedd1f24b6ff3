package ocivaultsync.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.reconcile.SecretVersion;
import org.junit.jupiter.api.Test;

/** Version hygiene on its own, against an in-memory port holding one secret's versions. */
class VersionPrunerTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant FAR = NOW.plus(Duration.ofHours(1));

    /** Versions 1..n: n CURRENT, n-1 PREVIOUS, the rest DEPRECATED; records the deletions scheduled. */
    static final class Versions implements VaultPort {
        final List<SecretVersion> versions = new ArrayList<>();
        final List<String> scheduled = new ArrayList<>();

        Versions(int n) {
            for (long i = 1; i <= n; i++) {
                versions.add(new SecretVersion(i, Set.of(i == n ? "CURRENT" : i == n - 1 ? "PREVIOUS" : "DEPRECATED"),
                        null));
            }
        }

        @Override
        public List<DestinationSecret> list(Destination t) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DestinationSecret> findByName(Destination t, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String create(Destination t, String name, SecretValue v, Map<String, String> tags) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Versioned get(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long update(String id, SecretValue v, Map<String, String> tags, String ifMatch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scheduleDeletion(String id, Instant when) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancelDeletion(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SecretValue readCurrent(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SecretVersion> listVersions(String secretId) {
            return List.copyOf(versions);
        }

        @Override
        public void scheduleVersionDeletion(String secretId, long number, Instant when) {
            scheduled.add(secretId + " v" + number + " at " + when);
        }
    }

    /** A secret of sync {@code app} as a listing shows it. */
    static DestinationSecret listed(String id, LifecycleState state) {
        return listed(id, state, "app");
    }

    static DestinationSecret listed(String id, LifecycleState state, String owner) {
        return new DestinationSecret(id, "name-" + id, state, owner == null ? Map.of() : Map.of("ovs_sync", owner),
                null);
    }

    static VersionPruner pruner(VaultPort vault) {
        return new VersionPruner(vault, Clock.fixed(NOW, ZoneOffset.UTC), new Executor.PruneDue());
    }

    @Test
    void anUpdateAtKeepVersionsMakesTheSecretDueAndAnActiveListingPrunesTheOldestDeprecated() {
        Versions vault = new Versions(12);
        VersionPruner p = pruner(vault);
        p.updated("app", "s1", 12, 10);
        p.pruneDue("app", List.of(listed("s1", LifecycleState.UPDATING)), 10, FAR);
        assertEquals(List.of(), vault.scheduled, "a secret still UPDATING waits for a later pass");
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 10, FAR);
        String when = " at " + NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(5));
        assertEquals(List.of("s1 v1" + when, "s1 v2" + when), vault.scheduled,
                "down to 10 in use, oldest first, a little over the shortest window");
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 10, FAR);
        assertEquals(2, vault.scheduled.size(), "pruned once, then no longer due");
    }

    @Test
    void anUpdateBelowKeepVersionsCostsNothing() {
        Versions vault = new Versions(12);
        VersionPruner p = pruner(vault);
        p.updated("app", "s1", 3, 10);
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 10, FAR);
        assertEquals(List.of(), vault.scheduled);
    }

    @Test
    void theLimitPrunesOneBelowKeepVersionsSoTheNewVersionFits() {
        Versions vault = new Versions(30);
        assertTrue(pruner(vault).pruneForLimit("s1", 10, FAR));
        assertEquals(21, vault.scheduled.size(), "30 in use down to 9, so the retried update makes 10");
    }

    @Test
    void nothingStartsAfterTheDeadline() {
        Versions vault = new Versions(30);
        VersionPruner p = pruner(vault);
        assertEquals(false, p.pruneForLimit("s1", 10, NOW.minusSeconds(1)));
        p.updated("app", "s1", 0, 10);
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 10, NOW.minusSeconds(1));
        assertEquals(List.of(), vault.scheduled);
    }

    @Test
    void withoutVersionHygieneNothingIsDue() {
        Versions vault = new Versions(30);
        VersionPruner p = pruner(vault);
        p.updated("app", "s1", 30, 0);
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 0, FAR);
        assertEquals(false, p.pruneForLimit("s1", 0, FAR));
        assertEquals(List.of(), vault.scheduled);
    }

    @Test
    void aSecretIsPrunedOnlyBySyncThatMadeItDueWhileItStillOwnsItWithItsOwnKeepVersions() {
        Versions vault = new Versions(12);
        VersionPruner p = pruner(vault);
        p.updated("app", "s1", 12, 10);
        p.pruneDue("other", List.of(listed("s1", LifecycleState.ACTIVE, "other")), 3, FAR);
        assertEquals(List.of(), vault.scheduled, "another sync's pass never prunes it, whatever the listing says");
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE, null)), 10, FAR);
        assertEquals(List.of(), vault.scheduled, "taken out of management: never pruned");
        p.pruneDue("app", List.of(listed("s1", LifecycleState.ACTIVE)), 10, FAR);
        assertEquals(List.of(), vault.scheduled, "and forgotten: no longer due even once owned again");
    }
}
