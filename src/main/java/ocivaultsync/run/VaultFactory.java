package ocivaultsync.run;

import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.oci.OciClients;
import ocivaultsync.oci.OciVault;

/** Opens the vault port for one run in a region, counting that run's calls. */
@FunctionalInterface
public interface VaultFactory {
    VaultPort open(String region, CallCounter calls);

    /** The product's one wiring of the vault port: the OCI SDK adapter on the container's clients. */
    static VaultFactory oci(OciClients clients) {
        return (region, calls) -> new OciVault(clients, region, calls);
    }
}
