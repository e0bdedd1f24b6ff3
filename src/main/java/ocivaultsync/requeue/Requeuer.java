package ocivaultsync.requeue;

import java.util.Optional;

/** Schedules work for later or elsewhere. */
public interface Requeuer {

    /**
     * Schedules {@code next} (its attempt set, 1 and up) after the policy's delay; answers the message it scheduled,
     * or empty when none was (the attempts are used up, or this requeuer cannot schedule).
     */
    Optional<RetryMessage> retry(RetryMessage next);

    /**
     * Starts a run of its own for one sync right away (fan-out of a run over many syncs), with {@code work} (attempt
     * 0). Answers false when this requeuer cannot (a local run simply runs the syncs one after another).
     */
    boolean handOff(RetryMessage work);

    /** A short name for logs: {@code function}, {@code local}, {@code off}. */
    String mode();
}
