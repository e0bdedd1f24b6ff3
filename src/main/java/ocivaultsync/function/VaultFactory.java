package ocivaultsync.function;

import ocivaultsync.reconcile.CallCounter;
import ocivaultsync.reconcile.VaultPort;

/** Opens the vault port for one run in a region, counting that run's calls. */
@FunctionalInterface
public interface VaultFactory {
    VaultPort open(String region, CallCounter calls);
}
