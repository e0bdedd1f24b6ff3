package ocivaultsync.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Wall time plus an offset the admin API can move forward, to end transitions and deletion windows at will. */
public final class EmulatorClock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public EmulatorClock(Clock base) {
        this.base = base;
    }

    public Instant now() {
        return base.instant().plusMillis(offsetMillis.get());
    }

    public Instant advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
        return now();
    }
}
