package ocivaultsync.config;

import java.util.Optional;

/**
 * The one range check of a whole-number option or setting, with one message shape: "{@code <field>: must be between
 * <min> and <max>}", or "{@code <field>: must be <min> or more}" when there is no upper bound. The configuration
 * parser collects the message with the option's path; a setting checked at start-up fails with it.
 */
public record IntRange(int min, int max) {

    public IntRange {
        if (min > max) {
            throw new IllegalArgumentException("an empty range: " + min + " > " + max);
        }
    }

    /** {@code min} or more. */
    public static IntRange atLeast(int min) {
        return new IntRange(min, Integer.MAX_VALUE);
    }

    public boolean contains(int value) {
        return value >= min && value <= max;
    }

    /** What a value must be, without the field: "must be between 1 and 30", "must be 0 or more". */
    String rule() {
        return max == Integer.MAX_VALUE ? "must be " + min + " or more" : "must be between " + min + " and " + max;
    }

    /** Empty when {@code value} is in range; else "{@code <field>: <rule>}". */
    public Optional<String> check(String field, int value) {
        return contains(value) ? Optional.empty() : Optional.of(field + ": " + rule());
    }
}
