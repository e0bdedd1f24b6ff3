package ocivaultsync.requeue;

/** Sends nudges: a retry for later, or a hand-off to an invocation of its own now. */
public interface Requeuer {

    /** Requeuing turned off: deferred work waits for the next scheduled run. */
    Requeuer OFF = n -> false;

    /** Delivers {@code n} at its not-before time; false when this requeuer cannot (then the schedule takes over). */
    boolean retry(Nudge n);

    /** Whether {@link #handOff} can start runs elsewhere (a manual operation records its intent before one). */
    default boolean canHandOff() {
        return false;
    }

    /** Starts a run of its own for one sync right away (fan-out of a run over many syncs). */
    default boolean handOff(Nudge n) {
        return false;
    }
}
