package ocivaultsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request parsing for the HTTP layer: path and query parameters, JSON bodies, page tokens and the secretContent of a
 * create or an update. The model gets typed arguments; every malformed input is OCI's 400 here.
 */
final class Requests {

    /** The secretContent of a create or an update: base64 content, optional version name, PENDING or not. */
    record SecretContent(String base64, String versionName, boolean pending) {
        static final SecretContent NONE = new SecretContent(null, null, false);
    }

    private Requests() {
    }

    /** One parser for create and update: an absent content is {@link SecretContent#NONE}; only BASE64 is taken. */
    static SecretContent secretContent(JsonNode body) {
        JsonNode content = body.get("secretContent");
        if (content == null || content.isNull()) {
            return SecretContent.NONE;
        }
        if (!"BASE64".equals(text(content, "contentType"))) {
            throw OciError.invalid("secretContent.contentType must be BASE64.");
        }
        return new SecretContent(text(content, "content"), text(content, "name"),
                "PENDING".equals(text(content, "stage")));
    }

    /** ListSecrets' query: the compartment is required, the rest checked and typed here. */
    static SecretQuery secretQuery(RoutingContext rc) {
        String compartmentId = q(rc, "compartmentId");
        if (compartmentId == null || compartmentId.isBlank()) {
            throw OciError.missing("compartmentId is required.");
        }
        SecretState state = null;
        String lifecycleState = q(rc, "lifecycleState");
        if (lifecycleState != null) {
            try {
                state = SecretState.valueOf(lifecycleState.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw OciError.invalid("lifecycleState must be one of " + List.of(SecretState.values()) + ".");
            }
        }
        String by = q(rc, "sortBy") == null ? "TIMECREATED" : q(rc, "sortBy");
        if (!by.equals("TIMECREATED") && !by.equals("NAME")) {
            throw OciError.invalid("sortBy must be TIMECREATED or NAME.");
        }
        String sortOrder = q(rc, "sortOrder");
        boolean asc = sortOrder == null ? by.equals("NAME") : sortOrder.equals("ASC");
        if (sortOrder != null && !sortOrder.equals("ASC") && !sortOrder.equals("DESC")) {
            throw OciError.invalid("sortOrder must be ASC or DESC.");
        }
        Integer limit = optInt(rc, "limit");
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw OciError.invalid("limit must be between 1 and 1000.");
        }
        int offset = 0;
        String page = q(rc, "page");
        if (page != null) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (RuntimeException e) {
                throw OciError.invalid("The page token is not valid.");
            }
        }
        return new SecretQuery(compartmentId, q(rc, "vaultId"), q(rc, "name"), state, by.equals("NAME"), asc, limit,
                offset);
    }

    /** ListSecrets' opc-next-page: opaque to the caller. */
    static String secretPageToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** ListSecretVersions' page token is the offset itself. */
    static int versionPageOffset(RoutingContext rc) {
        String page = q(rc, "page");
        if (page == null) {
            return 0;
        }
        try {
            return Integer.parseInt(page);
        } catch (NumberFormatException e) {
            throw OciError.invalid("The page token is not valid.");
        }
    }

    static Instant timeOfDeletion(JsonNode body) {
        if (!body.hasNonNull("timeOfDeletion")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(body.get("timeOfDeletion").asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw OciError.invalid("timeOfDeletion must be an RFC 3339 timestamp.");
        }
    }

    /** SHA-256 of a request body, to tell a retried create from a different one under the same token. */
    static String hash(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String id(RoutingContext rc) {
        return rc.pathParam("id");
    }

    static String q(RoutingContext rc, String name) {
        List<String> all = rc.queryParam(name);
        return all.isEmpty() ? null : all.get(0);
    }

    static Integer optInt(RoutingContext rc, String name) {
        String v = q(rc, name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw OciError.invalid(name + " must be a number.");
        }
    }

    static Long optLong(RoutingContext rc, String name) {
        String v = q(rc, name);
        return v == null ? null : longParam(v, name);
    }

    static long longParam(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw OciError.invalid(name + " must be a number.");
        }
    }

    static byte[] bodyBytes(RoutingContext rc) {
        return rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Map<String, String> stringMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw OciError.invalid(field + " must be an object.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> objectMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return Json.MAPPER.convertValue(v, Map.class);
    }
}
