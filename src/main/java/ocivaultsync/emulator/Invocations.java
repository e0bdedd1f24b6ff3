package ocivaultsync.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Function invocations received by the Functions invoke API, with their bodies, in arrival order. */
public final class Invocations {

    /** One invocation. */
    public record Invocation(String functionId, String invokeType, String fnIntent, String body, String receivedAt) {
        public Map<String, Object> toJson() {
            var m = new java.util.LinkedHashMap<String, Object>();
            m.put("functionId", functionId);
            m.put("invokeType", invokeType);
            m.put("fnIntent", fnIntent);
            m.put("body", body);
            m.put("receivedAt", receivedAt);
            return m;
        }
    }

    private final List<Invocation> received = new ArrayList<>();

    synchronized void add(Invocation i) {
        received.add(i);
    }

    public synchronized List<Invocation> all() {
        return List.copyOf(received);
    }

    public synchronized void clear() {
        received.clear();
    }
}
