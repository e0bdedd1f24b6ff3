package ocivaultsync.requeue;

/** Requeuing turned off: deferred work waits for the next scheduled run. */
public final class NoRequeuer implements Requeuer {

    @Override
    public boolean retry(Nudge n) {
        return false;
    }

    @Override
    public boolean handOff(Nudge n) {
        return false;
    }

    @Override
    public String mode() {
        return "off";
    }
}
