package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The named factories say what a change is; each must set exactly the action and status its name promises. */
class PlannedChangeTest {

    static final Map<String, String> TAGS = Map.of(OwnershipTags.SYNC, "s");

    static String summary(PlannedChange c) {
        return c.action() + " " + c.status() + " writes=" + c.writesContent() + " tags=" + c.tags().size()
                + " completes=" + c.restoreCompletes() + " id=" + c.secretId() + " v=" + c.sourceVersion();
    }

    @Test
    void eachFactorySetsTheActionAndStatusItsNameSays() {
        assertEquals(List.of(
                "CREATE PLANNED writes=true tags=1 completes=false id=null v=7",
                "UPDATE PLANNED writes=true tags=1 completes=false id=o v=7",
                "UPDATE PLANNED writes=false tags=1 completes=false id=o v=7",
                "RESTORE PLANNED writes=false tags=0 completes=true id=o v=7",
                "DELETE PLANNED writes=false tags=0 completes=false id=o v=null",
                "IMPORT PLANNED writes=false tags=1 completes=false id=o v=null",
                "NONE DONE writes=false tags=0 completes=false id=o v=7",
                "DELETE DEFERRED writes=false tags=0 completes=false id=o v=7",
                "CREATE SKIPPED writes=false tags=0 completes=false id=null v=7",
                "UPDATE FAILED writes=false tags=0 completes=false id=o v=null"),
                List.of(PlannedChange.create("K", "N", TAGS, Reason.MISSING_IN_DESTINATION, "7"),
                        PlannedChange.update("K", "N", "o", TAGS, Reason.VALUE_CHANGED, null, "7"),
                        PlannedChange.retag("K", "N", "o", TAGS, Reason.FINGERPRINT_REKEYED, null, "7"),
                        PlannedChange.restore("K", "N", "o", true, Reason.RESTORE_PENDING_DELETION, null, "7"),
                        PlannedChange.delete("K", "N", "o", Reason.NOT_IN_SOURCE, null),
                        PlannedChange.importToSource("K", "N", "o", TAGS, Reason.IMPORT_MISSING_IN_SOURCE),
                        PlannedChange.none("K", "N", "o", Reason.UP_TO_DATE, null, "7"),
                        PlannedChange.deferred("K", "N", Action.DELETE, "o", Reason.IN_TRANSITION, "DELETING", "7"),
                        PlannedChange.skipped("K", "N", Action.CREATE, null, Reason.EMPTY_IN_SOURCE, null, "7"),
                        PlannedChange.failed("K", "N", Action.UPDATE, "o", Reason.TOO_LARGE, "big"))
                        .stream().map(PlannedChangeTest::summary).toList());
    }

    @Test
    void onlyAPlannedMutationIsPending() {
        assertTrue(PlannedChange.delete("K", "N", "o", Reason.NOT_IN_SOURCE, null).isPending());
        assertFalse(PlannedChange.none("K", "N", "o", Reason.UP_TO_DATE, null, null).isPending());
        assertFalse(PlannedChange.deferred("K", "N", Action.UPDATE, "o", Reason.IN_TRANSITION, null, null)
                .isPending());
    }

    @Test
    void aCarriedOutChangeKeepsEverythingButItsStatusAndId() {
        PlannedChange planned = PlannedChange.create("K", "N", TAGS, Reason.MISSING_IN_DESTINATION, "7");
        assertEquals(new PlannedChange("K", "N", Action.CREATE, ResultStatus.DONE, Reason.MISSING_IN_DESTINATION,
                null, "new-id", true, TAGS, false, "7"), planned.done("new-id"));
    }

    @Test
    void aCollidingKeyKeepsTheDecisionUnderItsOwnKeyAndVersion() {
        PlannedChange decided = PlannedChange.failed("A", "N", Action.CREATE, null, Reason.NAME_COLLISION, "A, a");
        PlannedChange forB = decided.forKey("a", "3");
        assertEquals("a 3", forB.key() + " " + forB.sourceVersion());
        assertEquals(decided.reasonText(), forB.reasonText());
        assertEquals(decided.status(), forB.status());
    }
}
