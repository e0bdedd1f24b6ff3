package ocivaultsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one range check: its bounds are inclusive and its message has one shape, naming the field. */
class IntRangeTest {

    @Test
    void boundsAreInclusiveAndTheMessageNamesTheField() {
        IntRange days = new IntRange(1, 30);
        assertEquals(Optional.empty(), days.check("deletionDelayDays", 1));
        assertEquals(Optional.empty(), days.check("deletionDelayDays", 30));
        assertEquals(Optional.of("deletionDelayDays: must be between 1 and 30"), days.check("deletionDelayDays", 0));
        assertEquals(Optional.of("deletionDelayDays: must be between 1 and 30"), days.check("deletionDelayDays", 31));
    }

    @Test
    void withoutAnUpperBoundTheRuleSaysOrMore() {
        IntRange count = IntRange.atLeast(0);
        assertEquals(Optional.empty(), count.check("minCount", Integer.MAX_VALUE));
        assertEquals(Optional.of("minCount: must be 0 or more"), count.check("minCount", -1));
    }

    @Test
    void anEmptyRangeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new IntRange(5, 4));
    }
}
