package ocivaultsync.requeue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Reconcile sync X again": the body of a retry or hand-off, {@code {"retry": {"sync", "attempt", "notBefore",
 * "deepSecretIds"}}}. It carries nothing that could go stale or be forged into a wider pass: what the user asked for
 * lives on the sync's state secret, which the pass it starts reads afresh (docs/ARCHITECTURE.md, "Retries and
 * hand-offs"). Parsed strictly by the one body parser, {@code trigger.Bodies}.
 *
 * @param attempt       0 for a hand-off (a sync of a run over many, given an invocation of its own), 1 and up a retry
 * @param notBefore     when it may run (the callee waits, never past its own deadline)
 * @param deepSecretIds secrets the pass checks deeply: those an OCI event named, or a deep pass could not check
 */
public record Nudge(String sync, int attempt, Instant notBefore, Set<String> deepSecretIds) {

    /** The fields of the message, as the parser accepts them. */
    public static final Set<String> FIELDS = Set.of("sync", "attempt", "notBefore", "deepSecretIds");

    public Nudge {
        deepSecretIds = deepSecretIds == null ? Set.of() : Set.copyOf(deepSecretIds);
    }

    /** The same nudge at another attempt and time. */
    public Nudge at(int nextAttempt, Instant when) {
        return new Nudge(sync, nextAttempt, when, deepSecretIds);
    }

    /** Whether running this nudge checks every secret {@code deep} names. */
    public boolean covers(Set<String> deep) {
        return deepSecretIds.containsAll(deep);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("sync", sync);
        inner.put("attempt", attempt);
        inner.put("notBefore", notBefore.toString());
        List<String> ids = new ArrayList<>(new TreeSet<>(deepSecretIds));
        if (!ids.isEmpty()) {
            inner.put("deepSecretIds", ids);
        }
        return Map.of("retry", inner);
    }
}
