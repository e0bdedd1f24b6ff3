package ocivaultsync.requeue;

import java.util.Map;
import java.util.Optional;

/** Schedules work for later or elsewhere. */
public interface Requeuer {

    /**
     * Schedules a retry of a sync; answers the message it scheduled, or empty when none was (the attempts are used
     * up, or this requeuer cannot schedule).
     */
    Optional<RetryMessage> retry(String sync, int attempt);

    /**
     * Starts a run of its own for one sync right away (fan-out of a run over many syncs), with the given body.
     * Answers false when this requeuer cannot (a local run simply runs the syncs one after another).
     */
    boolean handOff(String sync, Map<String, Object> body);

    /** A short name for logs: {@code function}, {@code local}, {@code off}. */
    String mode();
}
