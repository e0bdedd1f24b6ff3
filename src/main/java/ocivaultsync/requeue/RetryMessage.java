package ocivaultsync.requeue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code {"retry": {"sync", "attempt", "notBefore"}}}: the body of a retry invocation. */
public record RetryMessage(String sync, int attempt, Instant notBefore) {

    public Map<String, Object> toJson() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("sync", sync);
        inner.put("attempt", attempt);
        inner.put("notBefore", notBefore.toString());
        return Map.of("retry", inner);
    }
}
