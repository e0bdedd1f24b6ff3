package ocivaultsync.requeue;

import java.util.Optional;

/** Requeuing turned off: deferred work waits for the next scheduled run. */
public final class NoRequeuer implements Requeuer {

    @Override
    public Optional<RetryMessage> retry(RetryMessage next) {
        return Optional.empty();
    }

    @Override
    public boolean handOff(RetryMessage work) {
        return false;
    }

    @Override
    public String mode() {
        return "off";
    }
}
