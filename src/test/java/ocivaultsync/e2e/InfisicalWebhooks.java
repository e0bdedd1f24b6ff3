package ocivaultsync.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Infisical webhooks as Infisical sends them (docs/ARCHITECTURE.md, 'Triggers: how each one reaches the function'), for
 * tests.
 */
public final class InfisicalWebhooks {

    private InfisicalWebhooks() {
    }

    /** A {@code secrets.modified} body of the general type, environment {@code prod}. */
    public static String body(String projectId, String path, long timestampMillis) {
        return "{\"event\":\"secrets.modified\",\"project\":{\"workspaceId\":\"" + projectId + "\",\"projectId\":\""
                + projectId + "\",\"projectName\":\"p\",\"environment\":\"prod\",\"environmentName\":\"Prod\","
                + "\"secretPath\":\"" + path + "\"},\"timestamp\":" + timestampMillis + "}";
    }

    /** The {@code x-infisical-signature} header: {@code t=<ms>;<hex HMAC-SHA256 of the body>}. */
    public static Map<String, String> signed(String body, long timestampMillis, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Map.of("x-infisical-signature", "t=" + timestampMillis + ";"
                    + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
