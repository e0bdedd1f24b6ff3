package ocivaultsync.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import ocivaultsync.reconcile.Verify;

/**
 * Reads request bodies into a {@link RunRequest}, strictly: an unknown field is an error, and so is a field of the
 * wrong type. The one parser of a run's options, whether a caller's {@code sync}/{@code plan} body or a schedule
 * body carries them (see README, "Triggers: how each one reaches the function").
 */
public final class RunRequests {

    private static final Set<String> SYNC_FIELDS = Set.of("sync", "dryRun", "verify", "force", "verbose");
    private static final Set<String> PLAN_FIELDS = Set.of("sync", "verify", "verbose");

    private RunRequests() {
    }

    /** The body of {@code sync} or, with {@code plan}, of {@code plan}; an empty body runs with the defaults. */
    public static RunRequest parse(JsonNode body, boolean plan) {
        if (body != null && !body.isNull()) {
            Set<String> allowed = plan ? PLAN_FIELDS : SYNC_FIELDS;
            checkFields(body, allowed, takes(plan ? "plan" : "sync", allowed));
        }
        String sync = text(body, "sync");
        boolean dryRun = plan || bool(body, "dryRun");
        Verify verify = Verify.FAST;
        String v = text(body, "verify");
        if (v != null) {
            verify = switch (v) {
                case "fast" -> Verify.FAST;
                case "deep" -> Verify.DEEP;
                default -> throw RequestException.invalid("verify: must be fast or deep");
            };
        }
        return RunRequest.manual(sync, dryRun).withVerify(verify).withForce(bool(body, "force"))
                .withVerbose(bool(body, "verbose"));
    }

    /** How {@link #checkFields} names a function's body: "(sync takes dryRun, force, ...)". */
    public static String takes(String function, Set<String> allowed) {
        return "(" + function + " takes " + String.join(", ", allowed.stream().sorted().toList()) + ")";
    }

    /**
     * The one unknown-field check: the body is a JSON object of {@code allowed} fields only.
     *
     * @param where ends the message, after "{@code field: unknown field}"
     */
    public static void checkFields(JsonNode body, Set<String> allowed, String where) {
        if (body == null || !body.isObject()) {
            throw RequestException.invalid("the body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw RequestException.invalid(f + ": unknown field " + where);
            }
        }
    }

    public static String required(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null) {
            throw RequestException.invalid(field + ": is required");
        }
        return v;
    }

    /** A non-empty string, or null when absent. */
    public static String text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw RequestException.invalid(field + ": must be a non-empty string");
        }
        return n.textValue();
    }

    /** A boolean, false when absent. */
    public static boolean bool(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw RequestException.invalid(field + ": must be true or false");
        }
        return n.booleanValue();
    }
}
