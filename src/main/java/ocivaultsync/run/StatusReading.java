package ocivaultsync.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultException;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.Mode;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.SyncRecord;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.StatusReport;
import org.jboss.logging.Logger;

/**
 * The {@code status} function's reading (README, "Calling it"): each sync's status as its state secret records it
 * (docs/ARCHITECTURE.md, "State kept in OCI"), from one listing of each destination vault, however many syncs write
 * there. It reads no source, no secret's content, and writes nothing: names and tags only.
 */
final class StatusReading {

    private static final Logger LOG = Logger.getLogger(StatusReading.class);

    private final VaultFactory vaults;

    StatusReading(VaultFactory vaults) {
        this.vaults = vaults;
    }

    /**
     * The status of {@code syncs}, in their order; a state secret whose claim does not verify under {@code claims}
     * shows as the failure every pass of its sync meets (none is checked when the key could not be read).
     */
    StatusReport read(List<SyncDefinition> syncs, Optional<ocivaultsync.reconcile.Claims> claims) {
        Map<List<String>, List<SyncDefinition>> byVault = new LinkedHashMap<>();
        for (SyncDefinition s : syncs) {
            Destination d = s.destination();
            byVault.computeIfAbsent(List.of(d.region(), d.compartmentId(), d.vaultId()), k -> new ArrayList<>()).add(s);
        }
        Map<String, StatusReport.Sync> read = new LinkedHashMap<>();
        CallCounter calls = new CallCounter();
        for (List<SyncDefinition> sharing : byVault.values()) {
            Destination d = sharing.get(0).destination();
            try {
                List<DestinationSecret> listing = vaults.open(d.region(), calls).list(d);
                sharing.forEach(s -> read.put(s.name(), unverified(s, listing, claims).orElseGet(() -> of(s, listing))));
            } catch (VaultException e) {
                String error = "destination: cannot list the vault's secrets: " + e.describe();
                sharing.forEach(s -> read.put(s.name(), StatusReport.Sync.unreadable(s.name(),
                        s.options().autoSync(), error)));
            }
        }
        LOG.infof("status of %d sync(s) read with %s", syncs.size(), calls.snapshot());
        return new StatusReport(syncs.stream().map(s -> read.get(s.name())).toList());
    }

    /** The status of a sync whose live state secret's claim does not verify: what every pass of it says. */
    private static Optional<StatusReport.Sync> unverified(SyncDefinition sync, List<DestinationSecret> listing,
            Optional<ocivaultsync.reconcile.Claims> claims) {
        return claims.flatMap(c -> listing.stream().filter(s -> s.isStateOf(sync.name())
                && SyncRecord.isLive(s.state()) && !c.verifiesState(s)).findFirst())
                .map(s -> StatusReport.Sync.unreadable(sync.name(), sync.options().autoSync(),
                        "destination: " + new StateSecret.Unverified(s).getMessage()));
    }

    /** One sync's status, from the listing of its vault. */
    static StatusReport.Sync of(SyncDefinition sync, List<DestinationSecret> listing) {
        SyncRecord r = SyncRecord.in(sync.name(), listing);
        Optional<PassStatus> st = PassStatus.of(r.tags());
        return new StatusReport.Sync(sync.name(), r.mode().map(Mode::wire).orElse(null), sync.options().autoSync(),
                st.map(PassStatus::outcome).orElse(null),
                st.flatMap(PassStatus::since).map(Instant::toString).orElse(null),
                st.map(PassStatus::failures).orElse(0), st.flatMap(PassStatus::reason).orElse(null),
                !Planner.isInitial(sync.name(), listing, r), r.operation().map(Operation::wire).orElse(null),
                r.open(), r.name(), null);
    }
}
