package ocivaultsync.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.http.signing.DefaultRequestSigner;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a request can fail authentication, and the two ways it can pass (API key, resource principal). */
class EmulatorSignatureTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    static EmulatorFixture f() {
        return EMULATOR.fixture();
    }

    static final String CREATE_BODY = "{\"compartmentId\":\"ocid1.compartment.oc1..emulatorcompartment\","
            + "\"keyId\":\"ocid1.key.oc1.eu-frankfurt-1.emulatorkey\",\"secretContent\":{\"contentType\":\"BASE64\","
            + "\"content\":\"eA==\"},\"secretName\":\"raw\",\"vaultId\":\"ocid1.vault.oc1.eu-frankfurt-1.emulatorvault\"}";

    /** Signs with the SDK's own signer, then lets the test change what is sent. */
    static Map<String, String> sign(BasicAuthenticationDetailsProvider auth, String method, String target, byte[] body,
            Map<String, String> extra) {
        URI uri = URI.create(f().emulator.endpoint() + target);
        Map<String, List<String>> existing = new HashMap<>();
        extra.forEach((k, v) -> existing.put(k, List.of(v)));
        if (body != null) {
            existing.put("content-type", List.of("application/json"));
        }
        Map<String, String> signed = new LinkedHashMap<>(DefaultRequestSigner.createRequestSigner(auth)
                .signRequest(uri, method, existing, body == null ? null : new String(body, StandardCharsets.UTF_8)));
        extra.forEach(signed::putIfAbsent);
        if (body != null) {
            signed.putIfAbsent("content-type", "application/json");
        }
        return signed;
    }

    static RawHttp.Response send(String method, String target, Map<String, String> headers, byte[] body) {
        return RawHttp.send(f().emulator.port(), method, target, headers, body);
    }

    static void assertRejected(RawHttp.Response r, String message) {
        assertEquals(401, r.status(), r.body());
        assertEquals("{\"code\":\"NotAuthenticated\",\"message\":\"" + message + "\"}", r.body());
        assertEquals("application/json", r.headers().get("content-type"));
    }

    static final String LIST = "/20180608/secrets?compartmentId=ocid1.compartment.oc1..emulatorcompartment";

    @Test
    void aCorrectlySignedRawRequestPasses() {
        byte[] body = CREATE_BODY.getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = send("POST", "/20180608/secrets", sign(f().auth, "post", "/20180608/secrets", body,
                Map.of()), body);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void unsignedRequestsAreRejected() {
        assertRejected(send("GET", LIST, Map.of("host", "127.0.0.1"), null),
                "The required information to complete authentication was not provided.");
    }

    @Test
    void anUnknownKeyIsRejected() {
        ApiKeys.ApiKey stranger = ApiKeys.generate();
        try (VaultsClient c = VaultsClient.builder().configuration(EmulatorFixture.noRetries())
                .endpoint(f().emulator.endpoint()).build(EmulatorFixture.authFor(stranger))) {
            BmcException e = assertThrows(BmcException.class, () -> c.listSecrets(ListSecretsRequest.builder()
                    .compartmentId(f().compartmentId()).build()));
            assertEquals(List.of(401, "NotAuthenticated"), List.of(e.getStatusCode(), e.getServiceCode()));
        }
    }

    @Test
    void aSignatureMadeWithAnotherKeyUnderATrustedKeyIdIsRejected() {
        ApiKeys.ApiKey impostor = ApiKeys.generate();
        Map<String, String> h = sign(EmulatorFixture.authFor(impostor), "get", LIST, null, Map.of());
        h.put("authorization", h.get("authorization").replace(impostor.fingerprint(), f().key.fingerprint()));
        assertRejected(send("GET", LIST, h, null), "The signature does not match the request.");
    }

    @Test
    void aTamperedBodyIsRejected() throws Exception {
        byte[] body = CREATE_BODY.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = sign(f().auth, "post", "/20180608/secrets", body, Map.of());
        byte[] tampered = CREATE_BODY.replace("eA==", "eQ==").getBytes(StandardCharsets.UTF_8);
        assertRejected(send("POST", "/20180608/secrets", h, tampered), "x-content-sha256 does not match the body.");
        Map<String, String> forged = new LinkedHashMap<>(h);
        forged.put("x-content-sha256", Base64.getEncoder().encodeToString(sha256(tampered)));
        assertRejected(send("POST", "/20180608/secrets", forged, tampered), "The signature does not match the request.");
    }

    @Test
    void anXDateSignatureWithoutADateHeaderPassesAndTheCallersRequestIdIsEchoed() {
        XDateSigner ts = new XDateSigner(f().key.keyId(EmulatorFixture.TENANCY, EmulatorFixture.USER),
                f().key.privateKeyPem());
        Map<String, String> h = new LinkedHashMap<>(ts.signRequest(URI.create(f().emulator.endpoint() + LIST), "GET",
                Map.of(), null));
        assertEquals(null, h.get("date"), "signed the TypeScript SDK's way");
        h.put("opc-request-id", "caller-chosen-id-1");
        RawHttp.Response r = send("GET", LIST, h, null);
        assertEquals(200, r.status(), r.body());
        assertEquals("caller-chosen-id-1", r.headers().get("opc-request-id"));
        h.put("x-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(6)));
        assertRejected(send("GET", LIST, h, null), "The date header is more than 5 minutes from the server's time.");
    }

    @Test
    void aTamperedTargetIsRejected() {
        Map<String, String> h = sign(f().auth, "get", LIST, null, Map.of());
        assertRejected(send("GET", LIST + "&name=other", h, null), "The signature does not match the request.");
    }

    @Test
    void aStaleDateIsRejected() {
        String stale = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(6));
        Map<String, String> h = sign(f().auth, "get", LIST, null, Map.of("date", stale));
        assertRejected(send("GET", LIST, h, null), "The date header is more than 5 minutes from the server's time.");
    }

    @Test
    void aBodyRequestMustSignTheBodyHeaders() {
        Map<String, String> h = sign(f().auth, "get", "/20180608/secrets", null, Map.of());
        h.put("content-length", "0");
        assertRejected(send("POST", "/20180608/secrets", h, new byte[0]),
                "The signature does not cover the required header content-length.");
    }

    @Test
    void resourcePrincipalSignaturesAreVerifiedWithTheTokensSessionKey() throws Exception {
        ApiKeys.ApiKey session = ApiKeys.generate();
        var pub = (java.security.interfaces.RSAPublicKey) RequestSigner.parsePublicKey(session.publicKeyPem());
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String jwk = "{\"kty\":\"RSA\",\"n\":\"" + url.encodeToString(unsigned(pub.getModulus().toByteArray()))
                + "\",\"e\":\"" + url.encodeToString(pub.getPublicExponent().toByteArray()) + "\",\"kid\":\"k\"}";
        long exp = System.currentTimeMillis() / 1000 + 600;
        String claims = "{\"exp\":" + exp + ",\"res_tenant\":\"t\",\"jwk\":" + quote(jwk) + "}";
        String jwt = url.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        BasicAuthenticationDetailsProvider rp = provider("ST$" + jwt, session.privateKeyPem());
        assertEquals(200, send("GET", LIST, sign(rp, "get", LIST, null, Map.of()), null).status());

        String expired = url.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "." + url.encodeToString(claims
                .replace(String.valueOf(exp), String.valueOf(exp - 3600)).getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        assertRejected(send("GET", LIST, sign(provider("ST$" + expired, session.privateKeyPem()), "get", LIST, null,
                Map.of()), null), "The security token has expired.");
        BasicAuthenticationDetailsProvider wrong = provider("ST$" + jwt, ApiKeys.generate().privateKeyPem());
        assertRejected(send("GET", LIST, sign(wrong, "get", LIST, null, Map.of()), null),
                "The signature does not match the request.");
    }

    @Test
    void turningVerificationOffLetsUnsignedCallsThrough() {
        try (EmulatorFixture open = new EmulatorFixture(EmulatorOptions.defaults().withVerifySignatures(false))) {
            assertEquals(200, RawHttp.send(open.emulator.port(), "GET", LIST, Map.of("host", "x"), null).status());
        }
    }

    private static BasicAuthenticationDetailsProvider provider(String keyId, String pem) {
        return new BasicAuthenticationDetailsProvider() {
            @Override
            public String getKeyId() {
                return keyId;
            }

            @Override
            public InputStream getPrivateKey() {
                return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String getPassPhrase() {
                return null;
            }

            @Override
            public char[] getPassphraseCharacters() {
                return null;
            }
        };
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    }
}
