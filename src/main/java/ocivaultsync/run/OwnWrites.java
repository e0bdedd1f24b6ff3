package ocivaultsync.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ocivaultsync.reconcile.PlannedChange;
import ocivaultsync.reconcile.ResultStatus;

/** Secrets this container wrote lately, and when: OCI reports each write back as an event. */
public final class OwnWrites {

    static final Duration WINDOW = Duration.ofSeconds(30);

    private final Clock clock;
    private final Map<String, Instant> recent = new ConcurrentHashMap<>();

    public OwnWrites(Clock clock) {
        this.clock = clock;
    }

    public void remember(List<PlannedChange> outcome) {
        Instant now = clock.instant();
        recent.values().removeIf(t -> t.isBefore(now.minus(WINDOW.multipliedBy(4))));
        for (PlannedChange c : outcome) {
            if (c.secretId() != null && c.action().isMutation() && c.status() != ResultStatus.FAILED
                    && c.status() != ResultStatus.BLOCKED) {
                recent.put(c.secretId(), now);
            }
        }
    }

    /**
     * Whether an event on a secret at {@code eventTime} is most likely this container's own write coming back: each
     * write of a pass turns into an OCI event, and running a pass for each would multiply the work by the number of
     * secrets written. An edit by someone else within the same few seconds is caught by the next scheduled deep pass.
     */
    public boolean isOwnWrite(String secretId, Instant eventTime) {
        Instant wrote = recent.get(secretId);
        return wrote != null && !eventTime.isBefore(wrote.minus(WINDOW)) && !eventTime.isAfter(wrote.plus(WINDOW));
    }
}
