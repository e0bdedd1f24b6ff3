package ocivaultsync.requeue;

import java.util.Map;
import java.util.Optional;

/** Requeuing turned off: deferred work waits for the next scheduled run. */
public final class NoRequeuer implements Requeuer {

    @Override
    public Optional<RetryMessage> retry(String sync, int attempt) {
        return Optional.empty();
    }

    @Override
    public boolean handOff(String sync, Map<String, Object> body) {
        return false;
    }

    @Override
    public String mode() {
        return "off";
    }
}
