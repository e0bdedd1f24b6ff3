package ocivaultsync.requeue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;

/**
 * The body of a retry or hand-off invocation: everything needed to continue the run that deferred, so a retried
 * {@code remove} keeps removing and a retried {@code import} keeps importing. {@code attempt} 0 is a hand-off (a
 * sync of a run over many, given an invocation of its own), 1 and up a retry.
 *
 * <p>Wire shape: {@code {"retry": {"sync", "operation", "origin", "force", "verify", "verbose", "deepSecretIds",
 * "attempt", "notBefore", "since"}}}. A body of the first release ({@code sync}, {@code attempt}, {@code notBefore}
 * only) still parses, as a fast sync pass.
 *
 * @param since  when the run that started this chain began (epoch ms on the wire); null when an old body does not
 *               say. A later explicit operation of another kind supersedes the chain (README, "How a sync decides")
 * @param origin the trigger of the run this continues: an automatic one (schedule, event, webhook) runs only syncs
 *               with auto-sync on; {@link Trigger#RETRY} when an old body does not say
 */
public record RetryMessage(String sync, Operation operation, Trigger origin, boolean force, Verify verify,
        boolean verbose, Set<String> deepSecretIds, int attempt, Instant notBefore, Instant since) {

    private static final Set<String> FIELDS = Set.of("sync", "operation", "origin", "force", "verify", "verbose",
            "deepSecretIds", "attempt", "notBefore", "since");

    /** A message whose chain's start is unknown (an old body): never superseded. */
    public RetryMessage(String sync, Operation operation, Trigger origin, boolean force, Verify verify,
            boolean verbose, Set<String> deepSecretIds, int attempt, Instant notBefore) {
        this(sync, operation, origin, force, verify, verbose, deepSecretIds, attempt, notBefore, null);
    }

    public RetryMessage {
        deepSecretIds = deepSecretIds == null ? Set.of() : Set.copyOf(deepSecretIds);
    }

    /** The same work at another attempt and time. */
    public RetryMessage at(int nextAttempt, Instant when) {
        return new RetryMessage(sync, operation, origin, force, verify, verbose, deepSecretIds, nextAttempt, when,
                since);
    }

    /** Which chain this message belongs to: one sync and one operation. */
    public String chain() {
        return chain(sync, operation);
    }

    public static String chain(String sync, Operation operation) {
        return sync + "/" + operation.wire();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("sync", sync);
        inner.put("operation", operation.wire());
        inner.put("origin", origin.wire());
        inner.put("force", force);
        inner.put("verify", verify == Verify.DEEP ? "deep" : "fast");
        inner.put("verbose", verbose);
        inner.put("deepSecretIds", new ArrayList<>(new TreeSet<>(deepSecretIds)));
        inner.put("attempt", attempt);
        inner.put("notBefore", notBefore.toString());
        if (since != null) {
            inner.put("since", since.toEpochMilli());
        }
        return Map.of("retry", inner);
    }

    /**
     * Parses the object under {@code retry}, strictly (an unknown field is an error).
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static RetryMessage parse(JsonNode r) {
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("retry: must be an object with sync, attempt and notBefore");
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(f + ": unknown field in retry");
            }
        }
        String sync = text(r, "sync");
        if (sync == null) {
            throw new IllegalArgumentException("retry.sync: is required");
        }
        if (!r.path("attempt").canConvertToInt() || !r.path("attempt").isIntegralNumber()
                || r.path("attempt").asInt() < 0) {
            throw new IllegalArgumentException("retry.attempt: must be a whole number from 0");
        }
        Instant notBefore;
        try {
            notBefore = Instant.parse(r.path("notBefore").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("retry.notBefore: must be an ISO-8601 instant");
        }
        String op = text(r, "operation");
        Operation operation = op == null ? Operation.SYNC : Operation.ofWire(op).orElseThrow(() ->
                new IllegalArgumentException("retry.operation: must be sync, remove, import-prioritize-source or "
                        + "import-prioritize-destination"));
        String o = text(r, "origin");
        Trigger origin = Trigger.RETRY;
        if (o != null) {
            origin = java.util.Arrays.stream(Trigger.values()).filter(t -> t.wire().equals(o)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("retry.origin: must be manual, schedule, "
                            + "oci-event, infisical-webhook or retry"));
        }
        String v = text(r, "verify");
        Verify verify = v == null || v.equals("fast") ? Verify.FAST : v.equals("deep") ? Verify.DEEP : null;
        if (verify == null) {
            throw new IllegalArgumentException("retry.verify: must be fast or deep");
        }
        List<String> ids = new ArrayList<>();
        JsonNode deep = r.get("deepSecretIds");
        if (deep != null && !deep.isNull()) {
            if (!deep.isArray()) {
                throw new IllegalArgumentException("retry.deepSecretIds: must be an array of secret OCIDs");
            }
            for (JsonNode id : deep) {
                if (!id.isTextual() || id.textValue().isBlank()) {
                    throw new IllegalArgumentException("retry.deepSecretIds: must be an array of secret OCIDs");
                }
                ids.add(id.textValue());
            }
        }
        Instant since = null;
        JsonNode sinceNode = r.get("since");
        if (sinceNode != null && !sinceNode.isNull()) {
            if (!sinceNode.isIntegralNumber() || !sinceNode.canConvertToLong() || sinceNode.asLong() < 0) {
                throw new IllegalArgumentException("retry.since: must be a whole number of epoch milliseconds");
            }
            since = Instant.ofEpochMilli(sinceNode.asLong());
        }
        return new RetryMessage(sync, operation, origin, bool(r, "force"), verify, bool(r, "verbose"), Set.copyOf(ids),
                r.get("attempt").asInt(), notBefore, since);
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw new IllegalArgumentException("retry." + field + ": must be a non-empty string");
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode r, String field) {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("retry." + field + ": must be true or false");
        }
        return n.booleanValue();
    }
}
