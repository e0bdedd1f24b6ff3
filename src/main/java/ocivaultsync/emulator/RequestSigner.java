package ocivaultsync.emulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies OCI request signatures (draft-cavage-http-signatures-08 as OCI uses it, docs/EMULATOR.md, 'The OCI API it
 * serves'): API-key
 * signatures against the keys trusted through the admin API, and resource-principal ({@code ST$<jwt>}) signatures
 * against the session key the token carries in its {@code jwk} claim.
 */
public final class RequestSigner {

    /** What the verifier needs of a request. */
    public record SignedRequest(String method, String requestTarget, Function<String, String> header, byte[] body) {
    }

    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    /** The date may be signed as {@code x-date} instead (OCI's scheme; the TypeScript SDK does so); see below. */
    private static final List<String> BASE = List.of("(request-target)", "host");
    private static final List<String> BODY = List.of("content-length", "content-type", "x-content-sha256");

    private final Map<String, PublicKey> trusted = new ConcurrentHashMap<>();
    private final Clock wallClock;

    public RequestSigner(Clock wallClock) {
        this.wallClock = wallClock;
    }

    /** Trusts an API signing key. {@code keyId} is {@code <tenancy>/<user>/<fingerprint>}. */
    public void trust(String keyId, String publicKeyPem) {
        trusted.put(keyId, parsePublicKey(publicKeyPem));
    }

    /** The colon-separated MD5 fingerprint OCI gives an API key: of the DER SubjectPublicKeyInfo. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(key.getEncoded());
            String hex = HexFormat.of().formatHex(md5);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 2) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(hex, i, i + 2);
            }
            return sb.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a request; answers with the principal's key id.
     *
     * @throws OciError 401 NotAuthenticated with the reason
     */
    public String verify(SignedRequest req) {
        String authorization = req.header().apply("authorization");
        if (authorization == null || !authorization.startsWith("Signature ")) {
            throw OciError.notAuthenticated("The required information to complete authentication was not provided.");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(authorization.substring("Signature ".length()));
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String keyId = params.get("keyId");
        String signature = params.get("signature");
        String headers = params.getOrDefault("headers", "date");
        if (keyId == null || signature == null) {
            throw OciError.notAuthenticated("The Authorization header lacks keyId or signature.");
        }
        if (!"rsa-sha256".equals(params.get("algorithm"))) {
            throw OciError.notAuthenticated("Unsupported signing algorithm; use rsa-sha256.");
        }
        List<String> signed = List.of(headers.toLowerCase(Locale.ROOT).split(" "));
        boolean hasBody = req.method().equals("POST") || req.method().equals("PUT") || req.method().equals("PATCH");
        // OCI's signing scheme: "date" or, where a client cannot set Date (browsers, the TypeScript SDK), "x-date";
        // when both are signed, x-date is the one that counts.
        if (!signed.contains("date") && !signed.contains("x-date")) {
            throw OciError.notAuthenticated("The signature does not cover the required header date.");
        }
        for (String required : hasBody ? concat(BASE, BODY) : BASE) {
            if (!signed.contains(required)) {
                throw OciError.notAuthenticated("The signature does not cover the required header " + required + ".");
            }
        }
        checkDate(signed.contains("x-date") ? req.header().apply("x-date") : req.header().apply("date"));
        if (hasBody) {
            checkBody(req);
        }
        StringBuilder signingString = new StringBuilder();
        for (String h : signed) {
            if (signingString.length() > 0) {
                signingString.append('\n');
            }
            String value = h.equals("(request-target)")
                    ? req.method().toLowerCase(Locale.ROOT) + " " + req.requestTarget()
                    : req.header().apply(h);
            if (value == null) {
                throw OciError.notAuthenticated("The signed header " + h + " is missing from the request.");
            }
            signingString.append(h).append(": ").append(value);
        }
        PublicKey key = keyId.startsWith("ST$") ? sessionKey(keyId.substring(3)) : trusted.get(keyId);
        if (key == null) {
            throw OciError.notAuthenticated("The key " + keyId + " is not known.");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signingString.toString().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(signature))) {
                throw OciError.notAuthenticated("The signature does not match the request.");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw OciError.notAuthenticated("The signature does not match the request.");
        }
        return keyId.startsWith("ST$") ? "resource-principal" : keyId;
    }

    private void checkDate(String date) {
        if (date == null) {
            throw OciError.notAuthenticated("The date header is missing.");
        }
        Instant at;
        try {
            at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw OciError.notAuthenticated("The date header is not an RFC 1123 date.");
        }
        Instant now = wallClock.instant();
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw OciError.notAuthenticated("The date header is more than 5 minutes from the server's time.");
        }
    }

    private static void checkBody(SignedRequest req) {
        byte[] body = req.body() == null ? new byte[0] : req.body();
        String length = req.header().apply("content-length");
        if (length == null || !length.equals(String.valueOf(body.length))) {
            throw OciError.notAuthenticated("content-length does not match the body.");
        }
        String sha = req.header().apply("x-content-sha256");
        try {
            String actual = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
            if (!actual.equals(sha)) {
                throw OciError.notAuthenticated("x-content-sha256 does not match the body.");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session key of a resource-principal token: the {@code jwk} claim of the JWT. Expired tokens are refused. */
    private PublicKey sessionKey(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw OciError.notAuthenticated("The security token is not a JWT.");
        }
        try {
            var claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims.has("exp") && Instant.ofEpochSecond(claims.get("exp").asLong()).isBefore(wallClock.instant())) {
                throw OciError.notAuthenticated("The security token has expired.");
            }
            var jwkNode = claims.get("jwk");
            var jwk = jwkNode.isTextual() ? Json.MAPPER.readTree(jwkNode.textValue()) : jwkNode;
            BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText()));
            BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()));
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        } catch (OciError err) {
            throw err;
        } catch (Exception e) {
            throw OciError.notAuthenticated("The security token carries no usable jwk claim.");
        }
    }

    static PublicKey parsePublicKey(String pem) {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw OciError.invalid("publicKeyPem must be an RSA public key in PEM (BEGIN PUBLIC KEY).");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
