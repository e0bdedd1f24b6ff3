package ocivaultsync.emulator;

import java.util.Random;

/**
 * How long a lifecycle transition takes: immediate, a fixed time, or a random time between the configured bounds
 * (docs/EMULATOR.md, 'The OCI API it serves'). Its own generator, so that random times do not change the ids a seed
 * gives.
 */
final class Transitions {

    private final EmulatorOptions options;
    private final Random random;

    Transitions(EmulatorOptions options) {
        this.options = options;
        this.random = new Random(options.seed() * 31 + 7);
    }

    boolean immediate() {
        return options.transitionMs() <= 0;
    }

    /** Asked only when not {@link #immediate()}, so the generator is drawn from exactly once per transition. */
    long millis() {
        long min = options.transitionMinMs();
        long max = options.transitionMs();
        return min > 0 && min < max ? min + (long) (random.nextDouble() * (max - min)) : max;
    }
}
