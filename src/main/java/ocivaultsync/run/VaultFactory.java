package ocivaultsync.run;

import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultPort;

/** Opens the vault port for one run in a region, counting that run's calls. */
@FunctionalInterface
public interface VaultFactory {
    VaultPort open(String region, CallCounter calls);
}
