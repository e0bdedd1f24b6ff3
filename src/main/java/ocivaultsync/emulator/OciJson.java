package ocivaultsync.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every JSON shape the emulator answers with, in one place: Secret, SecretSummary, SecretVersion(Summary),
 * SecretBundle, Vault, Key, Function, the error body, and the admin API's secret view (docs/EMULATOR.md). Field names
 * and order follow the OCI SDK's models, so a shape changes here or nowhere.
 */
final class OciJson {

    private OciJson() {
    }

    /** Secret ({@code full}) or SecretSummary, which has systemTags instead of metadata. */
    static Map<String, Object> secret(EmulatedSecret s, boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compartmentId", s.compartmentId);
        m.put("currentVersionNumber", s.currentVersion);
        m.put("definedTags", s.definedTags);
        m.put("description", s.description);
        m.put("freeformTags", s.freeformTags);
        m.put("id", s.id);
        m.put("keyId", s.keyId);
        m.put("lifecycleDetails", null);
        m.put("lifecycleState", s.state.name());
        if (full) {
            m.put("metadata", s.metadata);
        } else {
            m.put("systemTags", Map.of());
        }
        m.put("secretName", s.name);
        m.put("timeCreated", Json.time(s.timeCreated));
        m.put("timeOfDeletion", Json.time(s.timeOfDeletion));
        m.put("vaultId", s.vaultId);
        return m;
    }

    /** SecretVersion, or SecretVersionSummary ({@code summary}) which adds systemTags. */
    static Map<String, Object> version(EmulatedSecret s, EmulatedSecret.Version v, boolean summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contentType", "BASE64");
        m.put("name", v.name);
        m.put("secretId", s.id);
        m.put("stages", v.stages.stream().map(Enum::name).toList());
        m.put("timeCreated", Json.time(v.timeCreated));
        m.put("timeOfDeletion", Json.time(v.timeOfDeletion));
        m.put("versionNumber", v.number);
        if (summary) {
            m.put("systemTags", Map.of());
        }
        return m;
    }

    static Map<String, Object> bundle(EmulatedSecret s, EmulatedSecret.Version v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secretId", s.id);
        out.put("versionNumber", v.number);
        out.put("versionName", v.name);
        out.put("stages", v.stages.stream().map(Enum::name).toList());
        out.put("timeCreated", Json.time(v.timeCreated));
        out.put("metadata", s.metadata);
        out.put("secretBundleContent", Map.of("contentType", "BASE64", "content", v.contentBase64));
        return out;
    }

    /** One entry of the admin API's {@code GET /_emulator/secrets}: the secret with its current content. */
    static Map<String, Object> adminSecret(EmulatedSecret s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id);
        m.put("name", s.name);
        m.put("compartmentId", s.compartmentId);
        m.put("vaultId", s.vaultId);
        m.put("lifecycleState", s.state.name());
        m.put("freeformTags", s.freeformTags);
        m.put("timeCreated", Json.time(s.timeCreated));
        m.put("currentVersionNumber", s.currentVersion);
        m.put("versionCount", s.versions.size());
        m.put("timeOfDeletion", Json.time(s.timeOfDeletion));
        EmulatedSecret.Version current = s.current();
        m.put("content", current == null ? null : current.contentBase64);
        return m;
    }

    static Map<String, Object> vault(EmulatedVault.Identity id, String endpoint) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("compartmentId", id.compartmentId());
        v.put("cryptoEndpoint", endpoint);
        v.put("displayName", "emulator-vault");
        v.put("id", id.vaultId());
        v.put("lifecycleState", "ACTIVE");
        v.put("managementEndpoint", endpoint);
        v.put("timeCreated", Json.time(Instant.EPOCH));
        v.put("vaultType", "DEFAULT");
        v.put("freeformTags", Map.of());
        v.put("definedTags", Map.of());
        return v;
    }

    static Map<String, Object> key(EmulatedVault.Identity id) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("compartmentId", id.compartmentId());
        k.put("currentKeyVersion", id.keyId() + ".v1");
        k.put("displayName", "emulator-key");
        k.put("id", id.keyId());
        k.put("keyShape", Map.of("algorithm", "AES", "length", 32));
        k.put("lifecycleState", "ENABLED");
        k.put("protectionMode", "SOFTWARE");
        k.put("timeCreated", Json.time(Instant.EPOCH));
        k.put("vaultId", id.vaultId());
        k.put("freeformTags", Map.of());
        k.put("definedTags", Map.of());
        return k;
    }

    /** Functions management GetFunction: just enough to learn a function's invoke endpoint (this emulator). */
    static Map<String, Object> function(EmulatedVault.Identity id, String functionId, String endpoint) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", functionId);
        f.put("applicationId", "ocid1.fnapp.oc1." + id.region() + ".emulatorapp");
        f.put("compartmentId", id.compartmentId());
        f.put("displayName", "oci-vault-sync");
        f.put("image", "emulator/oci-vault-sync:latest");
        f.put("memoryInMBs", 256);
        f.put("timeoutInSeconds", 300);
        f.put("invokeEndpoint", endpoint);
        f.put("lifecycleState", "ACTIVE");
        f.put("timeCreated", Json.time(Instant.EPOCH));
        return f;
    }

    static Map<String, Object> error(OciError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code());
        body.put("message", e.getMessage());
        return body;
    }
}
