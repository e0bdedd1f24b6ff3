package ocivaultsync.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.requeue.RetryPolicy;

/** Records what would have been scheduled, for tests about when and what (the OCI path has its own test). */
public final class RecordingRequeuer implements Requeuer {

    public final List<RetryMessage> retries = Collections.synchronizedList(new ArrayList<>());
    public final List<RetryMessage> handOffs = Collections.synchronizedList(new ArrayList<>());
    public volatile boolean canHandOff = true;
    /** The runner's clock, so a scheduled retry's time is on the runner's time line. */
    public volatile java.time.Clock clock = java.time.Clock.systemUTC();

    @Override
    public Optional<RetryMessage> retry(RetryMessage next) {
        if (next.attempt() > RetryPolicy.DEFAULT.maxAttempts()) {
            return Optional.empty();
        }
        RetryMessage m = next.at(next.attempt(), clock.instant().plus(RetryPolicy.DEFAULT.delay(next.attempt())));
        retries.add(m);
        return Optional.of(m);
    }

    @Override
    public boolean handOff(RetryMessage work) {
        if (canHandOff) {
            handOffs.add(work);
        }
        return canHandOff;
    }

    @Override
    public String mode() {
        return "recording";
    }
}
