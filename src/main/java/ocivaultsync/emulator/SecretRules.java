package ocivaultsync.emulator;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OCI's checks on what a request asks for, each with OCI's status and code: required fields, names, tags, content
 * size, the resources a create points at, and what a listing may see (docs/EMULATOR.md, 'The OCI API it serves').
 */
final class SecretRules {

    static final int MAX_CONTENT_BYTES = 25 * 1024;
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TAG_VALUE = 256;
    static final Duration MIN_DELETION = Duration.ofDays(1);
    static final Duration MAX_DELETION = Duration.ofDays(30);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private SecretRules() {
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw OciError.missing(field + " is required.");
        }
    }

    static void checkEtag(EmulatedSecret s, String ifMatch) {
        if (ifMatch != null && !ifMatch.equals(s.etag())) {
            throw OciError.noEtagMatch();
        }
    }

    static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw OciError.invalid("secretName must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        if (!NAME.matcher(name).matches()) {
            throw OciError.invalid("secretName may only contain letters, digits, '-', '_' and '.'.");
        }
    }

    static void checkTags(Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 100) {
                throw OciError.invalid("Freeform tag keys must be 1 to 100 characters.");
            }
            if (e.getValue() != null && e.getValue().length() > MAX_TAG_VALUE) {
                throw OciError.invalid("Freeform tag values must be at most " + MAX_TAG_VALUE + " characters.");
            }
        }
    }

    /** The content of a create or an update: base64, not empty, at most 25 KB once decoded. */
    static void checkContent(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw OciError.invalid("secretContent.content must be base64.");
        }
        if (decoded.length == 0) {
            throw OciError.invalid("secretContent.content must not be empty.");
        }
        if (decoded.length > MAX_CONTENT_BYTES) {
            throw OciError.invalid("The secret content exceeds the maximum size of 25 KB.");
        }
    }

    /** A create names the emulator's one vault and key, in its compartment (or the tenancy above it). */
    static void checkRelated(EmulatedVault.Identity identity, NewSecret req) {
        if (!identity.vaultId().equals(req.vaultId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The vault " + req.vaultId() + " was not found or is not authorized.");
        }
        if (!identity.keyId().equals(req.keyId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The key " + req.keyId() + " was not found in the vault or is not authorized.");
        }
        if (!identity.compartmentId().equals(req.compartmentId()) && !identity.tenancyId().equals(req.compartmentId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The compartment " + req.compartmentId() + " was not found or is not authorized.");
        }
    }

    /**
     * A compartment or vault the caller cannot see is 404 NotAuthorizedOrNotFound, not an empty page: OCI does not
     * tell "absent" from "not allowed" (docs/ASSUMPTIONS.md, "ListSecrets out of sight"). The emulator's caller sees
     * its one compartment (or the tenancy above it) and its one vault.
     */
    static void checkListScope(EmulatedVault.Identity identity, String compartmentId, String vaultId) {
        boolean compartmentSeen = identity.compartmentId().equals(compartmentId)
                || identity.tenancyId().equals(compartmentId);
        if (!compartmentSeen || vaultId != null && !identity.vaultId().equals(vaultId)) {
            throw OciError.notFound();
        }
    }
}
