package ocivaultsync.emulator;

import java.util.Map;

/** What a CreateSecret asks for, as the HTTP layer parsed it. */
public record NewSecret(String compartmentId, String vaultId, String keyId, String name, String description,
        String contentBase64, String versionName, Map<String, String> freeformTags,
        Map<String, Object> definedTags, Map<String, Object> metadata) {
}
