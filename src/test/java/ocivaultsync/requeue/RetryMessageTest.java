package ocivaultsync.requeue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;
import org.junit.jupiter.api.Test;

/** The retry message carries the whole of the work it continues, and still reads the first release's bodies. */
class RetryMessageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRetriedImportRoundTripsWithEverythingItNeeds() throws Exception {
        RetryMessage m = new RetryMessage("app", Operation.IMPORT_PRIORITIZE_DESTINATION, Trigger.MANUAL, true,
                Verify.DEEP, true, Set.of("ocid1.vaultsecret.oc1..b", "ocid1.vaultsecret.oc1..a"), 3,
                Instant.parse("2026-06-01T00:00:15Z"));
        String wire = JSON.writeValueAsString(m.toJson());
        assertEquals("{\"retry\":{\"sync\":\"app\",\"operation\":\"import-prioritize-destination\",\"origin\":\"manual\","
                + "\"force\":true,\"verify\":\"deep\",\"verbose\":true,\"deepSecretIds\":[\"ocid1.vaultsecret.oc1..a\","
                + "\"ocid1.vaultsecret.oc1..b\"],\"attempt\":3,\"notBefore\":\"2026-06-01T00:00:15Z\"}}", wire);
        assertEquals(m, RetryMessage.parse(JSON.readTree(wire).get("retry")));
        assertEquals("app/import-prioritize-destination", m.chain());
    }

    @Test
    void aBodyOfTheFirstReleaseIsAFastSyncThatRunsWhateverStartedIt() throws Exception {
        RetryMessage old = RetryMessage.parse(JSON.readTree(
                "{\"sync\":\"app\",\"attempt\":2,\"notBefore\":\"2026-06-01T00:00:15Z\"}"));
        assertEquals(new RetryMessage("app", Operation.SYNC, Trigger.RETRY, false, Verify.FAST, false, Set.of(),
                2, Instant.parse("2026-06-01T00:00:15Z")), old);
    }

    @Test
    void theChainsStartTravelsAsEpochMillisecondsAndAnOldBodyHasNone() throws Exception {
        RetryMessage m = new RetryMessage("app", Operation.REMOVE, Trigger.MANUAL, false, Verify.FAST, false, Set.of(),
                1, Instant.parse("2026-06-01T00:00:15Z"), Instant.parse("2026-06-01T00:00:00.123Z"));
        String wire = JSON.writeValueAsString(m.toJson());
        assertEquals("{\"retry\":{\"sync\":\"app\",\"operation\":\"remove\",\"origin\":\"manual\",\"force\":false,"
                + "\"verify\":\"fast\",\"verbose\":false,\"deepSecretIds\":[],\"attempt\":1,"
                + "\"notBefore\":\"2026-06-01T00:00:15Z\",\"since\":1780272000123}}", wire);
        assertEquals(m, RetryMessage.parse(JSON.readTree(wire).get("retry")));
        assertEquals(m.since(), m.at(2, Instant.EPOCH).since(), "every attempt of a chain carries its start");
        assertEquals(null, RetryMessage.parse(JSON.readTree(
                "{\"sync\":\"app\",\"attempt\":2,\"notBefore\":\"2026-06-01T00:00:15Z\"}")).since());
        assertEquals("retry.since: must be a whole number of epoch milliseconds",
                assertThrows(IllegalArgumentException.class, () -> RetryMessage.parse(JSON.readTree(
                        "{\"sync\":\"app\",\"attempt\":1,\"notBefore\":\"2026-06-01T00:00:15Z\",\"since\":\"now\"}")))
                        .getMessage());
    }

    @Test
    void aBadFieldIsNamed() {
        assertEquals("retry.operation: must be sync, remove, import-prioritize-source or import-prioritize-destination",
                assertThrows(IllegalArgumentException.class, () -> RetryMessage.parse(JSON.readTree(
                        "{\"sync\":\"app\",\"operation\":\"purge\",\"attempt\":1,\"notBefore\":\"2026-06-01T00:00:15Z\"}")))
                        .getMessage());
        assertEquals("verbosity: unknown field in retry", assertThrows(IllegalArgumentException.class,
                () -> RetryMessage.parse(JSON.readTree("{\"sync\":\"app\",\"verbosity\":1}"))).getMessage());
    }
}
