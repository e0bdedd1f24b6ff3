package ocivaultsync.source;

import java.util.List;

/** Everything a source returned for one sync, in its order. Keys may repeat (a recursive source's folders). */
public record SourceSnapshot(List<SourceSecret> secrets) {

    public SourceSnapshot {
        secrets = List.copyOf(secrets);
    }
}
