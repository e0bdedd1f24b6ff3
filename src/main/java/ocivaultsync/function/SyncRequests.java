package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import ocivaultsync.reconcile.Planner;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;

/** Parses the bodies of {@code sync}, {@code plan}, {@code import} and {@code remove} (README, 'Calling it'),
* strictly: an
 * unknown field is an error. */
public final class SyncRequests {

    private static final Set<String> SYNC_FIELDS = Set.of("sync", "dryRun", "verify", "force", "verbose");
    private static final Set<String> PLAN_FIELDS = Set.of("sync", "verify", "verbose");

    private SyncRequests() {
    }

    public static RunRequest parse(JsonNode body, boolean plan) {
        if (body != null && !body.isNull()) { // an empty body runs with the defaults
            check(body, plan ? PLAN_FIELDS : SYNC_FIELDS, plan ? "plan" : "sync");
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

    private static final Set<String> IMPORT_FIELDS = Set.of("sync", "behavior", "dryRun", "verbose");
    private static final Set<String> REMOVE_FIELDS = Set.of("sync", "dryRun", "verbose");

    /** {@code {"sync": "app-prod", "behavior": "prioritize-source"|"prioritize-destination"}}. */
    static RunRequest parseImport(JsonNode body) {
        check(body, IMPORT_FIELDS, "import");
        String sync = required(body, "sync");
        String behavior = required(body, "behavior");
        var op = switch (behavior) {
            case "prioritize-source" -> Planner.Operation.IMPORT_PRIORITIZE_SOURCE;
            case "prioritize-destination" -> Planner.Operation.IMPORT_PRIORITIZE_DESTINATION;
            default -> throw RequestException.invalid("behavior: must be prioritize-source or prioritize-destination");
        };
        return RunRequest.manual(sync, bool(body, "dryRun")).withVerbose(bool(body, "verbose")).withOperation(op);
    }

    /** {@code {"sync": "app-prod"}}. */
    static RunRequest parseRemove(JsonNode body) {
        check(body, REMOVE_FIELDS, "remove");
        return RunRequest.manual(required(body, "sync"), bool(body, "dryRun")).withVerbose(bool(body, "verbose"))
                .withOperation(Planner.Operation.REMOVE);
    }

    private static void check(JsonNode body, Set<String> allowed, String function) {
        if (body == null || !body.isObject()) {
            throw RequestException.invalid("the body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw RequestException.invalid(f + ": unknown field (" + function + " takes "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String required(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null) {
            throw RequestException.invalid(field + ": is required");
        }
        return v;
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw RequestException.invalid(field + ": must be a non-empty string");
        }
        return n.textValue();
    }

    static boolean bool(JsonNode body, String field) {
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
