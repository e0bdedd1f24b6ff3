package ocivaultsync.function;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.requeue.RetryPolicy;

/** Records what would have been scheduled, for tests about when and what (the OCI path has its own test). */
final class RecordingRequeuer implements Requeuer {

    final List<RetryMessage> retries = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, Object>> handOffs = Collections.synchronizedList(new ArrayList<>());
    volatile boolean canHandOff = true;

    @Override
    public Optional<RetryMessage> retry(String sync, int attempt) {
        if (attempt > RetryPolicy.DEFAULT.maxAttempts()) {
            return Optional.empty();
        }
        RetryMessage m = new RetryMessage(sync, attempt, Instant.now().plus(RetryPolicy.DEFAULT.delay(attempt)));
        retries.add(m);
        return Optional.of(m);
    }

    @Override
    public boolean handOff(String sync, Map<String, Object> body) {
        if (canHandOff) {
            handOffs.add(body);
        }
        return canHandOff;
    }

    @Override
    public String mode() {
        return "recording";
    }
}
