package ocivaultsync.reconcile;

import java.time.Duration;

/**
 * The one way the product waits: between attempts of a throttled call (the executor, Infisical's 429s) and before a
 * retry that is due soon. Production passes {@link #THREAD}; tests pass one that does not wait, so no test depends on
 * time passing.
 *
 * <p>Here rather than beside one of its users because every package that waits may import {@code reconcile}
 * (docs/ARCHITECTURE.md, "Packages"), and sources may import nothing that reaches OCI.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits on the current thread. */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
