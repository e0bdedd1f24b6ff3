package ocivaultsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ocivaultsync.reconcile.Action;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.Reason;
import ocivaultsync.reconcile.ResultStatus;
import org.junit.jupiter.api.Test;

/** The report's JSON is a contract (README, 'Calling it'): field names, order, enum spellings and counts. */
class RunReportJsonTest {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static PlannedChange change(String key, String name, Action a, ResultStatus s, Reason r, String detail) {
        return new PlannedChange(key, name, a, s, r, detail, "ocid1.vaultsecret.oc1.iad." + name.toLowerCase(), false,
                Map.of(), false, null);
    }

    static RunReport sample() {
        List<PlannedChange> changes = List.of(
                change("DB_PASS", "prod-DB_PASS", Action.CREATE, ResultStatus.DONE, Reason.MISSING_IN_DESTINATION, null),
                change("API_KEY", "prod-API_KEY", Action.NONE, ResultStatus.DONE, Reason.UP_TO_DATE, null),
                change("OLD", "prod-OLD", Action.DELETE, ResultStatus.BLOCKED, Reason.GUARD_EMPTY_SOURCE,
                        "1 deletion(s) withheld"),
                change("TOKEN", "prod-TOKEN", Action.UPDATE, ResultStatus.DEFERRED, Reason.IN_TRANSITION, "UPDATING"),
                change("EMPTY", "prod-EMPTY", Action.CREATE, ResultStatus.SKIPPED, Reason.EMPTY_IN_SOURCE, null));
        SyncReport ran = SyncReport.of("app-prod", false, changes, false, new RetryInfo(1, "2026-11-27T10:00:15Z"),
                new OciCalls(2, 0, 1), 412);
        SyncReport failed = SyncReport.failed("app-dev", "source: infisical answered 403 for project p environment "
                + "dev path /", new OciCalls(0, 0, 0), 35);
        return new RunReport("0d9c5a1e-run", Trigger.OCI_EVENT, false, List.of(ran, failed, SyncReport.skipped("off")));
    }

    @Test
    void matchesTheSnapshot() throws Exception {
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/report-snapshot.json")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertEquals(expected, JSON.writeValueAsString(sample()));
    }

    @Test
    void countsAddUpToTheNamesConsideredAndNoneIsListedOnlyWhenVerbose() {
        SyncReport ran = sample().syncs().get(0);
        assertEquals(new Counts(1, 0, 1, 0, 0, 0, 1, 1, 1, 0), ran.counts());
        assertEquals(5, ran.counts().total());
        assertEquals(4, ran.results().size());
        assertEquals(SyncStatus.PARTIAL, ran.status());
        var verbose = SyncReport.of("s", false, List.of(change("A", "A", Action.NONE, ResultStatus.DONE,
                Reason.UP_TO_DATE, null)), true, null, OciCalls.NONE, 1);
        assertEquals(1, verbose.results().size());
        assertEquals(SyncStatus.SUCCEEDED, verbose.status());
    }

    @Test
    void statusPrecedenceIsFailedOrBlockedThenDeferred() {
        var done = change("A", "A", Action.CREATE, ResultStatus.DONE, Reason.MISSING_IN_DESTINATION, null);
        var deferred = change("B", "B", Action.UPDATE, ResultStatus.DEFERRED, Reason.IN_TRANSITION, "CREATING");
        var failed = change("C", "C", Action.UPDATE, ResultStatus.FAILED, Reason.NAME_HELD, null);
        var skipped = change("D", "D", Action.CREATE, ResultStatus.SKIPPED, Reason.EMPTY_IN_SOURCE, null);
        assertEquals(SyncStatus.SUCCEEDED, SyncReport.statusOf(List.of(done, skipped)));
        assertEquals(SyncStatus.SUCCEEDED, SyncReport.statusOf(List.of()));
        assertEquals(SyncStatus.DEFERRED, SyncReport.statusOf(List.of(done, deferred)));
        assertEquals(SyncStatus.PARTIAL, SyncReport.statusOf(List.of(done, deferred, failed)));
    }
}
