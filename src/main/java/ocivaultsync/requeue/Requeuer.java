package ocivaultsync.requeue;

/** Sends nudges: a retry for later, or a hand-off to an invocation of its own now. */
public interface Requeuer {

    /** Delivers {@code n} at its not-before time; false when this requeuer cannot (then the schedule takes over). */
    boolean retry(Nudge n);

    /**
     * Starts a run of its own for one sync right away (fan-out of a run over many syncs). False when this requeuer
     * cannot (a local run simply runs the syncs one after another).
     */
    boolean handOff(Nudge n);

    /** Whether {@link #handOff} can start runs elsewhere (a manual operation records its intent before one). */
    default boolean canHandOff() {
        return false;
    }

    /** A short name for logs: {@code function}, {@code local}, {@code off}. */
    String mode();
}
