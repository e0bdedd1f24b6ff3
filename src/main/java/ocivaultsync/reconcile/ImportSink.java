package ocivaultsync.reconcile;

import java.util.Map;

/**
 * Where imported destination values go: the source (F3, F9). The executor writes through it and every source
 * implements it; it lives here because both may import {@code reconcile} and neither may import the other
 * (docs/ARCHITECTURE.md, "Packages").
 */
public interface ImportSink {

    /** The outcome of writing one key. */
    record Outcome(ResultStatus status, String detail) {
        public static final Outcome DONE = new Outcome(ResultStatus.DONE, null);

        public static Outcome failed(String why) {
            return new Outcome(ResultStatus.FAILED, why);
        }

        public static Outcome blocked(String why) {
            return new Outcome(ResultStatus.BLOCKED, why);
        }
    }

    /** Writes the values into the source; one outcome per key. Must not throw for one bad key. */
    Map<String, Outcome> write(Map<String, SecretValue> values);
}
