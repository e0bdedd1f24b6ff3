package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The leak detector must be able to fail: a canary logged, in plain or base64, or in an exception, is found. */
class CanaryWatchTest {

    @Test
    void findsCanariesInLogsExceptionsAndOutputs() {
        try (CanaryWatch w = new CanaryWatch()) {
            Logger.getLogger("probe").infof("value %s", "CANARY-x");
            Logger.getLogger("probe").error("failed", new IllegalStateException("Q0FOQVJZLXk="));
            w.saw("report", "clean");
            assertEquals(2, w.leaks(List.of("CANARY-x", "CANARY-y")).size());
            assertEquals(List.of(), w.leaks(List.of("CANARY-z")));
        }
    }
}
