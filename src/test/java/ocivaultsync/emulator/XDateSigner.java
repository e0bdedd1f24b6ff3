package ocivaultsync.emulator;

import com.oracle.bmc.http.signing.RequestSigner;
import com.oracle.bmc.http.signing.RequestSignerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs as Oracle's TypeScript SDK does ({@code oci-common}'s signer): the date goes in {@code x-date}, which a browser
 * or fetch-based client can set where it cannot set {@code Date}, and the signature covers {@code x-date} in its place.
 * Plugged into the Java SDK's clients, it lets the whole conformance suite run signed that way.
 */
final class XDateSigner implements RequestSigner {

    private final String keyId;
    private final PrivateKey key;

    XDateSigner(String keyId, String privateKeyPem) {
        this.keyId = keyId;
        try {
            String b64 = privateKeyPem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static RequestSignerFactory factory(String keyId, String privateKeyPem) {
        XDateSigner signer = new XDateSigner(keyId, privateKeyPem);
        return (service, auth) -> signer;
    }

    @Override
    public Map<String, String> signRequest(URI uri, String httpMethod, Map<String, List<String>> existing,
            Object body) {
        String method = httpMethod.toLowerCase(Locale.ROOT);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        out.put("host", uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
        List<String> headers = new ArrayList<>(List.of("x-date", "(request-target)", "host"));
        if (method.equals("post") || method.equals("put") || method.equals("patch")) {
            byte[] bytes = bytes(body);
            out.put("content-length", String.valueOf(bytes.length));
            out.put("content-type", first(existing, "content-type", "application/json"));
            try {
                out.put("x-content-sha256", Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(bytes)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            headers.addAll(List.of("content-length", "content-type", "x-content-sha256"));
        }
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder signing = new StringBuilder();
        for (String h : headers) {
            if (signing.length() > 0) {
                signing.append('\n');
            }
            signing.append(h).append(": ").append(h.equals("(request-target)") ? method + " " + target : out.get(h));
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signing.toString().getBytes(StandardCharsets.UTF_8));
            out.put("authorization", "Signature version=\"1\",headers=\"" + String.join(" ", headers)
                    + "\",keyId=\"" + keyId + "\",algorithm=\"rsa-sha256\",signature=\""
                    + Base64.getEncoder().encodeToString(s.sign()) + "\"");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String first(Map<String, List<String>> headers, String name, String fallback) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return fallback;
    }

    private static byte[] bytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream in) {
            try {
                // The SDK sends the same stream after signing: read it and rewind, as its own signer does.
                in.mark(Integer.MAX_VALUE);
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                in.transferTo(copy);
                in.reset();
                return copy.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new IllegalArgumentException("cannot sign a body of type " + body.getClass().getName());
    }
}
