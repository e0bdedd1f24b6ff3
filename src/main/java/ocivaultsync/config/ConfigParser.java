package ocivaultsync.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import ocivaultsync.reconcile.DeletionGuard;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.FingerprintKey;
import ocivaultsync.reconcile.InitialSyncBehavior;
import ocivaultsync.reconcile.KeySchema;
import ocivaultsync.reconcile.VaultLimits;

/**
 * Parses and validates a configuration document (YAML or JSON) into a {@link SyncConfig}.
 *
 * <p>It walks the document tree by hand rather than binding it, for three reasons: every error can name its exact
 * field path; unknown fields are errors (a typo must not silently turn an option off); and no reflection is needed
 * in a native image. It reports every error it finds, not just the first, and never quotes a value.
 */
public final class ConfigParser {

    static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    static final int MAX_SYNC_NAME = 64;
    static final int MAX_DESCRIPTION = 256;
    private static final IntRange DELETION_DAYS = new IntRange(VaultLimits.MIN_DELETION_DAYS,
            VaultLimits.MAX_DELETION_DAYS);
    private static final IntRange KEEP_VERSIONS = new IntRange(SyncOptions.MIN_KEEP_VERSIONS,
            SyncOptions.MAX_KEEP_VERSIONS);
    private static final IntRange PERCENT = new IntRange(0, 100);
    private static final Pattern REGION = Pattern.compile("^[a-z]+(-[a-z]+)+-[0-9]+$");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Where the function is told which secrets it may read: the Terraform module sets it from its read grant. */
    public static final String GRANTED_SETTING = "ovs.granted-secret-ids (OVS_GRANTED_SECRET_IDS)";

    private final boolean allowInlineSecrets;
    private final Optional<Set<String>> grantedSecretIds;
    private final InfisicalHosts infisicalHosts;

    /** With the default Infisical hosts (Infisical Cloud's, {@link InfisicalHosts#cloud()}), granted secrets unknown. */
    public ConfigParser(boolean allowInlineSecrets) {
        this(allowInlineSecrets, Optional.empty(), InfisicalHosts.cloud());
    }

    /** With the default Infisical hosts. */
    public ConfigParser(boolean allowInlineSecrets, Optional<Set<String>> grantedSecretIds) {
        this(allowInlineSecrets, grantedSecretIds, InfisicalHosts.cloud());
    }

    /** With granted secrets unknown (local runs). */
    public ConfigParser(boolean allowInlineSecrets, InfisicalHosts infisicalHosts) {
        this(allowInlineSecrets, Optional.empty(), infisicalHosts);
    }

    /**
     * @param allowInlineSecrets whether {@code {value: ...}} references are accepted (local runs); in production every
     *                           secret must be referenced by OCID
     * @param grantedSecretIds   the secrets the function's IAM policy lets it read, when known: a reference to any other
     *                           is an error naming its field and {@link #GRANTED_SETTING}, so a configuration the
     *                           function could not use is refused when it loads, not met as a 404 in a run
     * @param infisicalHosts     the Infisical hosts a source may name ({@code ovs.infisical.allowed-hosts})
     */
    public ConfigParser(boolean allowInlineSecrets, Optional<Set<String>> grantedSecretIds,
            InfisicalHosts infisicalHosts) {
        this.allowInlineSecrets = allowInlineSecrets;
        this.grantedSecretIds = grantedSecretIds.map(Set::copyOf);
        this.infisicalHosts = infisicalHosts;
    }

    /** Parses a YAML or JSON document. */
    public SyncConfig parse(String text) {
        JsonNode root = read(text);
        Errors errors = new Errors();
        if (!root.isObject()) {
            throw new ConfigException("configuration: must be a mapping with fingerprintKey and syncs");
        }
        Obj top = new Obj("", (ObjectNode) root, errors);
        SecretRef fingerprintKey = top.secretRef("fingerprintKey", true);
        if (fingerprintKey instanceof SecretRef.Inline inline
                && inline.value().getBytes(StandardCharsets.UTF_8).length < FingerprintKey.MIN_LENGTH_BYTES) {
            errors.add("fingerprintKey.value", "must be at least " + FingerprintKey.MIN_LENGTH_BYTES + " bytes");
        }
        List<SyncDefinition> syncs = new ArrayList<>();
        JsonNode list = top.raw("syncs");
        if (list == null) {
            errors.add("syncs", "is required");
        } else if (!list.isArray()) {
            errors.add("syncs", "must be a list of syncs");
        } else if (list.isEmpty()) {
            errors.add("syncs", "must list at least one sync");
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "syncs[" + i + "]";
                JsonNode item = list.get(i);
                if (!item.isObject()) {
                    errors.add(path, "must be a mapping");
                    continue;
                }
                SyncDefinition sync = sync(new Obj(path, (ObjectNode) item, errors));
                if (sync != null && sync.name() != null) {
                    Integer first = seen.putIfAbsent(sync.name(), i);
                    if (first != null) {
                        errors.add(path + ".name", "duplicate sync name " + sync.name() + " (also syncs[" + first
                                + "].name)");
                    }
                }
                syncs.add(sync);
            }
        }
        top.finish();
        errors.throwIfAny();
        return new SyncConfig(fingerprintKey, syncs);
    }

    private static JsonNode read(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException("configuration: is empty");
        }
        boolean json = text.stripLeading().startsWith("{");
        try {
            JsonNode node = (json ? JSON : YAML).readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ConfigException("configuration: is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            // Only the location: parser messages quote the text around the error, which may be a secret value.
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "a field is given twice" : "not valid " + (json ? "JSON" : "YAML");
            throw new ConfigException("configuration: " + what + where);
        }
    }

    private SyncDefinition sync(Obj o) {
        String name = o.string("name", true);
        if (name != null && (name.length() > MAX_SYNC_NAME || !SLUG.matcher(name).matches())) {
            o.error("name", "must be a slug of lower-case letters, digits and single hyphens, at most "
                    + MAX_SYNC_NAME + " characters");
        }
        String description = o.string("description", false);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            o.error("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        Obj sourceNode = o.object("source", true);
        SourceConfig source = sourceNode == null ? null : SourceParser.source(sourceNode, infisicalHosts);
        Obj destNode = o.object("destination", true);
        Destination destination = destNode == null ? null : destination(destNode);
        Obj optNode = o.object("options", false);
        SyncOptions options = optNode == null ? SyncOptions.defaults()
                : options(optNode, source == null ? null : source.environment(), name);
        if (optNode == null) {
            o.error("options.keySchema", everyName(null, name));
        }
        if (source instanceof InfisicalSourceConfig inf && inf.recursive() && options.initialSyncBehavior().imports()) {
            o.error("options.initialSyncBehavior", options.initialSyncBehavior().wire()
                    + " imports into one source folder, so it cannot be used with source.recursive: true");
        }
        o.finish();
        return new SyncDefinition(name, Optional.ofNullable(description), source, destination, options);
    }

    private static Destination destination(Obj o) {
        String region = o.string("region", true);
        if (region != null && !REGION.matcher(region).matches()) {
            o.error("region", "must be an OCI region identifier such as eu-frankfurt-1");
        }
        String compartmentId = o.string("compartmentId", true);
        if (compartmentId != null && !Ocids.isOcid(compartmentId, Set.of("compartment", "tenancy"))) {
            o.error("compartmentId", "must be a compartment OCID (ocid1.compartment.<realm>..<id>) or the tenancy OCID");
        }
        String vaultId = o.string("vaultId", true);
        if (vaultId != null && !Ocids.isOcid(vaultId, Set.of("vault"))) {
            o.error("vaultId", "must be a vault OCID (ocid1.vault.<realm>.<region>.<id>)");
        }
        String keyId = o.string("keyId", true);
        if (keyId != null && !Ocids.isOcid(keyId, Set.of("key"))) {
            o.error("keyId", "must be a key OCID (ocid1.key.<realm>.<region>.<id>)");
        }
        o.finish();
        return new Destination(region, compartmentId, vaultId, keyId);
    }

    /** The option a sync sets to reach every secret of its vault: its name says what it does. */
    static final String EVERY_SECRET = "manageEverySecretInVault";

    /** Why a sync whose names fit every secret of its vault is refused, and the two ways out. */
    private static String everyName(KeySchema schema, String syncName) {
        String example = (syncName != null && SLUG.matcher(syncName).matches() ? syncName : "app") + "-{{secretKey}}";
        return (schema == null ? "is not set, so the names are the source keys and"
                : schema.template() + " has no literal part, so") + " every secret of the destination vault fits: "
                + "the sync would adopt, overwrite and delete secrets it did not create; give it a literal part, such "
                + "as \"" + example + "\", or set options." + EVERY_SECRET + ": true to manage every secret of the "
                + "vault";
    }

    /**
     * @param environment the source's environment, the value of {@code {{environment}}}; null when the source did not
     *                    parse (its error is reported)
     */
    private static SyncOptions options(Obj o, String environment, String syncName) {
        SyncOptions d = SyncOptions.defaults();
        InitialSyncBehavior behavior = d.initialSyncBehavior();
        String behaviorText = o.string("initialSyncBehavior", false);
        if (behaviorText != null) {
            Optional<InitialSyncBehavior> parsed = InitialSyncBehavior.fromWire(behaviorText);
            if (parsed.isEmpty()) {
                o.error("initialSyncBehavior", "must be one of overwrite-destination, import-prioritize-source, "
                        + "import-prioritize-destination");
            }
            behavior = parsed.orElse(behavior);
        }
        Optional<KeySchema> schema = Optional.empty();
        String schemaText = o.string("keySchema", false);
        if (schemaText != null) {
            try {
                schema = Optional.of(KeySchema.parse(schemaText));
            } catch (IllegalArgumentException e) {
                o.error("keySchema", e.getMessage());
            }
        }
        boolean autoSync = o.bool("autoSync", d.autoSync());
        boolean disableDeletion = o.bool("disableSecretDeletion", d.disableSecretDeletion());
        int delay = o.integer("deletionDelayDays", DELETION_DAYS, "OCI's deletion window, in days",
                d.deletionDelayDays());
        int keep = o.integer("keepVersions", KEEP_VERSIONS, "OCI never deletes a CURRENT or PREVIOUS version, and "
                + "keeps at most 30 in use", d.keepVersions());
        DeletionGuard guard = d.deletionGuard();
        Obj g = o.object("deletionGuard", false);
        if (g != null) {
            int maxPercent = g.integer("maxPercent", PERCENT, null, guard.maxPercent());
            int minCount = g.integer("minCount", IntRange.atLeast(0), null, guard.minCount());
            g.finish();
            guard = new DeletionGuard(maxPercent, minCount);
        }
        boolean everySecret = o.bool(EVERY_SECRET, false);
        // A sync reaches what its names fit: a schema with no literal part (or none) fits every secret of the vault,
        // which the sync would adopt, overwrite and delete. That must be said, never the default.
        boolean fitsAll = schemaText == null || schema.isPresent() && environment != null
                && schema.get().fitsEveryName(environment);
        JsonNode said = o.node.get(EVERY_SECRET);
        if (said != null && !said.isNull() && !said.isBoolean()) {
            // its own error is reported; whether the schema needed it is not known
        } else if (fitsAll && !everySecret) {
            o.error("keySchema", everyName(schema.orElse(null), syncName));
        } else if (everySecret && schema.isPresent() && environment != null && !fitsAll) {
            o.error(EVERY_SECRET, "must not be set with keySchema " + schema.get().template()
                    + ", which fits only the names it spells out; remove it, or the keySchema's literal part");
        }
        o.finish();
        return new SyncOptions(behavior, schema, autoSync, disableDeletion, delay, guard, keep, everySecret);
    }

    /** Collected errors, in document order. */
    private static final class Errors {
        private final Set<String> list = new LinkedHashSet<>();

        void add(String path, String message) {
            list.add(path + ": " + message);
        }

        void throwIfAny() {
            if (!list.isEmpty()) {
                throw new ConfigException(List.copyOf(list));
            }
        }
    }

    /** A mapping being read: knows its path and which fields were consumed, so the rest are unknown fields. */
    final class Obj {
        private final String path;
        private final ObjectNode node;
        private final Errors errors;
        private final Set<String> consumed = new LinkedHashSet<>();

        Obj(String path, ObjectNode node, Errors errors) {
            this.path = path;
            this.node = node;
            this.errors = errors;
        }

        String at(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        void error(String field, String message) {
            errors.add(at(field), message);
        }

        JsonNode raw(String field) {
            consumed.add(field);
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? null : v;
        }

        String string(String field, boolean required) {
            JsonNode v = raw(field);
            if (v == null) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                error(field, "must be a string");
                return null;
            }
            return v.textValue();
        }

        boolean bool(String field, boolean dflt) {
            JsonNode v = raw(field);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                error(field, "must be true or false");
                return dflt;
            }
            return v.booleanValue();
        }

        /**
         * A whole number within {@code range}; out of it, an error in the one range shape (with {@code why} in
         * brackets, when given) and the default.
         */
        int integer(String field, IntRange range, String why, int dflt) {
            int v = integer(field, dflt);
            if (range.contains(v)) {
                return v;
            }
            error(field, range.rule() + (why == null ? "" : " (" + why + ")"));
            return dflt;
        }

        int integer(String field, int dflt) {
            JsonNode v = raw(field);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                error(field, "must be a whole number");
                return dflt;
            }
            return v.intValue();
        }

        Obj object(String field, boolean required) {
            JsonNode v = raw(field);
            if (v == null) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            if (!v.isObject()) {
                error(field, "must be a mapping");
                return null;
            }
            return new Obj(at(field), (ObjectNode) v, errors);
        }

        SecretRef secretRef(String field, boolean required) {
            JsonNode v = raw(field);
            if (v == null) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            if (!v.isObject()) {
                error(field, "must be {secretId: <vault secret OCID>} or {value: <text>}");
                return null;
            }
            Obj ref = new Obj(at(field), (ObjectNode) v, errors);
            boolean hasId = v.has("secretId");
            boolean hasValue = v.has("value");
            SecretRef result = null;
            if (hasId == hasValue) {
                error(field, "must have exactly one of secretId or value");
                ref.consumed.add("secretId");
                ref.consumed.add("value");
            } else if (hasId) {
                String id = ref.string("secretId", true);
                if (id != null && !Ocids.isOcid(id, Set.of("vaultsecret"))) {
                    ref.error("secretId", "must be a vault secret OCID (ocid1.vaultsecret.<realm>.<region>.<id>)");
                } else if (id != null && grantedSecretIds.isPresent() && !grantedSecretIds.get().contains(id)) {
                    ref.error("secretId", id + " is not a secret the function may read: " + GRANTED_SETTING
                            + ", which the Terraform module sets to the secrets its policy grants, does not list it"
                            + moduleHint(field));
                } else if (id != null) {
                    result = new SecretRef.VaultSecret(id);
                }
            } else {
                String value = ref.string("value", true);
                if (value != null && value.isEmpty()) {
                    ref.error("value", "must not be empty");
                } else if (value != null && !allowInlineSecrets) {
                    error(field, "inline values are for local use only; reference an OCI Vault secret with "
                            + "{secretId: ...} (local runs may set ovs.allow-inline-secrets=true)");
                } else if (value != null) {
                    result = new SecretRef.Inline(value);
                }
            }
            ref.finish();
            return result;
        }

        /** Which variable of the Terraform module grants the function a secret of this field. */
        private static String moduleHint(String field) {
            return switch (field) {
                case "clientSecret" -> " (add it to the module's infisical_client_secret_ids)";
                case "webhookSigningKey" -> " (add it to the module's webhook_key_secret_ids)";
                case "fingerprintKey" -> " (give it to the module as fingerprint_key_secret_id)";
                default -> "";
            };
        }

        void finish() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!consumed.contains(f)) {
                    error(f, "unknown field");
                }
            }
        }
    }
}
