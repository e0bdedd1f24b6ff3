package ocivaultsync.function;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import ocivaultsync.reconcile.Verify;

/** Parses the bodies of {@code sync} and {@code plan} (DESIGN §6), strictly: an unknown field is an error. */
final class SyncRequests {

    private static final Set<String> SYNC_FIELDS = Set.of("sync", "dryRun", "verify", "force", "verbose");
    private static final Set<String> PLAN_FIELDS = Set.of("sync", "verify", "verbose");

    private SyncRequests() {
    }

    static RunRequest parse(JsonNode body, boolean plan) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw RequestException.invalid("the body must be a JSON object");
        }
        Set<String> allowed = plan ? PLAN_FIELDS : SYNC_FIELDS;
        if (body != null && body.isObject()) {
            for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw RequestException.invalid(f + ": unknown field (" + (plan ? "plan" : "sync") + " takes "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
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
