package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.reconcile.Destination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resource-principal signing as OCI Functions sets it up: the SDK reads {@code OCI_RESOURCE_PRINCIPAL_*}, signs with
 * the session key and sends the RPST as an {@code ST$} key id; the emulator verifies against the token's {@code jwk}.
 * The variables point at files this test writes, so the surefire execution {@code resource-principal} (see pom.xml)
 * sets them; the default execution skips this class. We never mutate the process environment.
 */
@EnabledIfEnvironmentVariable(named = "OCI_RESOURCE_PRINCIPAL_VERSION", matches = "2\\.2")
class ResourcePrincipalAuthTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults());

    @Test
    void autoPicksTheResourcePrincipalAndTheEmulatorVerifiesItsSignature() throws Exception {
        ApiKeys.ApiKey session = ApiKeys.generate();
        writeRpFiles(session);
        var f = EMULATOR.fixture();
        try (OciClients clients = new OciClients(OciTestSupport.options(f, OciOptions.AuthMode.AUTO,
                OciOptions.ApiKey.none(), "x", "DEFAULT", Optional.of("2.2")))) {
            assertEquals("resource-principal", clients.auth().mode());
            assertEquals(Optional.of("eu-frankfurt-1"), clients.defaultRegion());
            var vault = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            assertEquals(List.of(), vault.list(new Destination("eu-frankfurt-1", f.compartmentId(), f.vaultId(),
                    f.keyId())));
            assertEquals(1L, f.emulator.calls().get("ListSecrets"));
        }
    }

    private static void writeRpFiles(ApiKeys.ApiKey session) throws Exception {
        var pub = (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Base64.getMimeDecoder().decode(session.publicKeyPem()
                        .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""))));
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        byte[] n = pub.getModulus().toByteArray();
        n = n[0] == 0 ? Arrays.copyOfRange(n, 1, n.length) : n;
        String jwk = "{\"kty\":\"RSA\",\"n\":\"" + url.encodeToString(n) + "\",\"e\":\""
                + url.encodeToString(pub.getPublicExponent().toByteArray()) + "\",\"kid\":\"session\"}";
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String claims = "{\"sub\":\"ocid1.fnfunc.oc1..test\",\"res_tenant\":\"ocid1.tenancy.oc1..emulatortenancy\","
                + "\"res_compartment\":\"ocid1.compartment.oc1..emulatorcompartment\",\"exp\":" + exp + ",\"jwk\":\""
                + jwk.replace("\"", "\\\"") + "\"}";
        String rpst = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
        Path rpstFile = Path.of(System.getenv("OCI_RESOURCE_PRINCIPAL_RPST"));
        Files.createDirectories(rpstFile.getParent());
        Files.writeString(rpstFile, rpst);
        Files.writeString(Path.of(System.getenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM")), session.privateKeyPem());
    }
}
