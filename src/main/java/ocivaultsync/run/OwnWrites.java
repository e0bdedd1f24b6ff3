package ocivaultsync.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.ResultStatus;

/**
 * Secrets this container wrote lately, and when by OCI's clock (the {@code Date} of its answers): OCI reports each
 * write back as an event, stamped by the same clock, and running a pass for each would multiply the work by the
 * number of secrets written. No container clock is compared with OCI's; a wrong guess costs a list-only pass, or
 * leaves an edit made within seconds of this container's own write to the next deep pass.
 */
final class OwnWrites {

    static final Duration WINDOW = Duration.ofSeconds(30);

    private final Map<String, Instant> recent = new ConcurrentHashMap<>();

    /** The changes of a pass that ended at {@code at}, by OCI's clock. */
    void remember(List<PlannedChange> outcome, Instant at) {
        recent.values().removeIf(t -> t.isBefore(at.minus(WINDOW.multipliedBy(4))));
        for (PlannedChange c : outcome) {
            if (c.secretId() != null && c.action().isMutation() && c.status() != ResultStatus.FAILED
                    && c.status() != ResultStatus.BLOCKED) {
                recent.put(c.secretId(), at);
            }
        }
    }

    /** Whether an event on a secret at {@code eventTime} (OCI's) is most likely this container's own write. */
    boolean isOwnWrite(String secretId, Instant eventTime) {
        Instant wrote = recent.get(secretId);
        return wrote != null && !eventTime.isBefore(wrote.minus(WINDOW)) && !eventTime.isAfter(wrote.plus(WINDOW));
    }
}
