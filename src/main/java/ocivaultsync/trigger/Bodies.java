package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.run.RunRequest;

/**
 * The one strict parser of every body a call carries (README, "Calling it"): the functions' ({@code sync},
 * {@code plan}, {@code import}, {@code remove}, {@code status}), a schedule's and a nudge's. An unknown field is an error, and so is a
 * field of the wrong type, so a typo such as {@code dryrun} can never turn a dry run into a real one; every error names
 * the field. Only a function's body names an operation or {@code force}: a schedule or a nudge can only ask for a pass
 * toward the intent already recorded in OCI.
 */
public final class Bodies {

    private static final Set<String> SYNC = Set.of("sync", "dryRun", "verify", "force", "verbose");
    private static final Set<String> PLAN = Set.of("sync", "verify", "verbose");
    private static final Set<String> IMPORT = Set.of("sync", "behavior", "dryRun", "verbose");
    private static final Set<String> REMOVE = Set.of("sync", "dryRun", "verbose");
    private static final Set<String> SCHEDULE = Set.of("trigger", "sync", "verify");
    private static final Set<String> STATUS = Set.of("sync");

    /**
     * What only an operator's function may ask for. The strict bodies (a schedule's, a nudge's) refuse these as unknown
     * fields; the envelopes of OCI events and webhooks carry fields of their own and are read leniently, so these are
     * refused there by name ({@link #refuseOperatorFields}).
     */
    static final List<String> OPERATOR_ONLY = List.of("function", "operation", "force", "behavior", "dryRun",
            "verbose");

    private Bodies() {
    }

    /**
     * Refuses an automatic body read leniently (an OCI event, a webhook) that names what only an operator's function
     * may ask for: it can only start a pass toward the intent recorded in OCI, and one that asks for more is not run.
     *
     * @param what names the body in the message: "an OCI event"
     */
    static void refuseOperatorFields(JsonNode body, String what) {
        for (String f : OPERATOR_ONLY) {
            if (body.has(f)) {
                throw RequestException.invalid(f + ": " + what + " cannot name a function, an operation, force or a "
                        + "behaviour; it only starts a pass toward the intent recorded in OCI");
            }
        }
    }

    /** {@code sync}, or with {@code plan} its dry run; an empty body runs with the defaults. */
    public static RunRequest sync(JsonNode body, boolean plan) {
        if (body != null && !body.isNull()) {
            check(body, plan ? PLAN : SYNC, plan ? "plan" : "sync");
        }
        return RunRequest.manual(text(body, "sync"), plan || bool(body, "dryRun")).withVerify(verify(body))
                .withForce(bool(body, "force")).withVerbose(bool(body, "verbose"));
    }

    /** {@code {"sync": "app-prod", "behavior": "prioritize-source"|"prioritize-destination"}}. */
    public static RunRequest importing(JsonNode body) {
        check(body, IMPORT, "import");
        String sync = required(body, "sync");
        Operation op = switch (required(body, "behavior")) {
            case "prioritize-source" -> Operation.IMPORT_PRIORITIZE_SOURCE;
            case "prioritize-destination" -> Operation.IMPORT_PRIORITIZE_DESTINATION;
            default -> throw RequestException.invalid("behavior: must be prioritize-source or prioritize-destination");
        };
        return RunRequest.manual(sync, op, bool(body, "dryRun")).withVerbose(bool(body, "verbose"));
    }

    /** {@code {"sync": "app-prod"}}. */
    public static RunRequest remove(JsonNode body) {
        check(body, REMOVE, "remove");
        return RunRequest.manual(required(body, "sync"), Operation.REMOVE, bool(body, "dryRun"))
                .withVerbose(bool(body, "verbose"));
    }

    /** {@code {"sync": "app-prod"?}}: the status of one sync, or of all when the body names none (or is empty). */
    public static Optional<String> status(JsonNode body) {
        if (body != null && !body.isNull()) {
            check(body, STATUS, "status");
        }
        return Optional.ofNullable(text(body, "sync"));
    }

    /** {@code {"trigger": "schedule", "verify"?: "fast"|"deep", "sync"?: ...}}: a pass, never an operation. */
    public static RunRequest schedule(JsonNode body) {
        check(body, SCHEDULE, "a schedule body");
        if (!"schedule".equals(body.path("trigger").asText())) {
            throw RequestException.invalid("trigger: must be schedule");
        }
        return RunRequest.automatic(Trigger.SCHEDULE).withVerify(verify(body)).withSync(text(body, "sync"));
    }

    /** {@code {"retry": {"sync", "attempt", "notBefore", "deepSecretIds"?}}}. */
    public static Nudge nudge(JsonNode body) {
        check(body, Set.of("retry"), "a retry message");
        JsonNode r = body.get("retry");
        if (r == null || !r.isObject()) {
            throw RequestException.invalid("retry: must be an object with sync, attempt and notBefore");
        }
        check(r, Nudge.FIELDS, "retry");
        String sync = required(r, "sync");
        JsonNode attempt = r.path("attempt");
        if (!attempt.isIntegralNumber() || !attempt.canConvertToInt() || attempt.asInt() < 0) {
            throw RequestException.invalid("retry.attempt: must be a whole number from 0");
        }
        Instant notBefore;
        try {
            notBefore = Instant.parse(r.path("notBefore").asText());
        } catch (DateTimeParseException e) {
            throw RequestException.invalid("retry.notBefore: must be an ISO-8601 instant");
        }
        Set<String> ids = new LinkedHashSet<>();
        JsonNode deep = r.get("deepSecretIds");
        if (deep != null && !deep.isNull()) {
            if (!deep.isArray()) {
                throw RequestException.invalid("retry.deepSecretIds: must be an array of secret OCIDs");
            }
            for (JsonNode id : deep) {
                if (!id.isTextual() || !id.textValue().startsWith("ocid1.vaultsecret.")) {
                    throw RequestException.invalid("retry.deepSecretIds: must be an array of secret OCIDs");
                }
                ids.add(id.textValue());
            }
        }
        return new Nudge(sync, attempt.asInt(), notBefore, ids);
    }

    /**
     * The one unknown-field check: the body is a JSON object of {@code allowed} fields only.
     *
     * @param what names the body in the message: "sync", "a schedule body"
     */
    static void check(JsonNode body, Set<String> allowed, String what) {
        if (body == null || !body.isObject()) {
            throw RequestException.invalid("the body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw RequestException.invalid(f + ": unknown field (" + what + " takes "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    static Verify verify(JsonNode body) {
        String v = text(body, "verify");
        if (v == null || v.equals("fast")) {
            return Verify.FAST;
        }
        if (v.equals("deep")) {
            return Verify.DEEP;
        }
        throw RequestException.invalid("verify: must be fast or deep");
    }

    static String required(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null) {
            throw RequestException.invalid(field + ": is required");
        }
        return v;
    }

    /** A non-empty string, or null when absent. */
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

    /** A boolean, false when absent. */
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
