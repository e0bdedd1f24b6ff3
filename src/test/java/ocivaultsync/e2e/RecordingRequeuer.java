package ocivaultsync.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.requeue.Requeuer;

/** Records the nudges that would have been sent, for tests about when and what (the OCI path has its own test). */
public final class RecordingRequeuer implements Requeuer {

    public final List<Nudge> retries = Collections.synchronizedList(new ArrayList<>());
    public final List<Nudge> handOffs = Collections.synchronizedList(new ArrayList<>());
    public volatile boolean canHandOff = true;

    @Override
    public boolean retry(Nudge n) {
        retries.add(n);
        return true;
    }

    @Override
    public boolean canHandOff() {
        return canHandOff;
    }

    @Override
    public boolean handOff(Nudge n) {
        if (canHandOff) {
            handOffs.add(n);
        }
        return canHandOff;
    }

}
