package ocivaultsync.apply;

import java.util.concurrent.atomic.AtomicLong;
import ocivaultsync.report.OciCalls;

/** Counts a run's OCI calls by kind for the report: list pages, bundle reads, writes. */
public final class CallCounter {

    private final AtomicLong list = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong write = new AtomicLong();

    public void list() {
        list.incrementAndGet();
    }

    public void read() {
        read.incrementAndGet();
    }

    public void write() {
        write.incrementAndGet();
    }

    public OciCalls snapshot() {
        return new OciCalls(list.get(), read.get(), write.get());
    }
}
