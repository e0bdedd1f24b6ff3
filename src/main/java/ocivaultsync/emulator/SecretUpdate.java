package ocivaultsync.emulator;

import java.util.Map;

/** What an UpdateSecret asks for, as the HTTP layer parsed it; null fields are left as they are. */
public record SecretUpdate(String description, String contentBase64, String versionName, boolean pending,
        Map<String, String> freeformTags, Map<String, Object> definedTags, Map<String, Object> metadata,
        Long currentVersionNumber) {
}
