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

    @Test
    void findsACanaryInEveryFormItMayTake() {
        String c = "CANARY <q>&'v/1 ";
        List<String> forms = List.of("CANARY <q>&'v/1", "Q0FOQVJZIDxxPiYndi8xIA", "Q0FOQVJZIDxxPiYndi8xIA==",
                "43414e415259203c713e2627762f3120", "43414E415259203C713E2627762F3120",
                "CANARY+%3Cq%3E%26%27v%2F1+", "CANARY%20%3cq%3e%26%27v%2f1%20", "CANARY &lt;q&gt;&amp;&#39;v/1",
                "CANARY &#60;q&#62;&#38;&#x27;v/1", "CANARY \\u003cq\\u003e\\u0026'v/1");
        for (String form : forms) {
            try (CanaryWatch w = new CanaryWatch()) {
                w.saw("report", "reason: " + form + " end");
                assertEquals(1, w.leaks(List.of(c)).size(), form);
            }
        }
    }
}
