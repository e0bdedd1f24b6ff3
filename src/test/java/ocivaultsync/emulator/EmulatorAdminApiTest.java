package ocivaultsync.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API is a contract (docs/EMULATOR.md): paths and shapes, and the wire shape of errors. */
class EmulatorAdminApiTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    static final ObjectMapper M = new ObjectMapper();

    static EmulatorFixture f() {
        return EMULATOR.fixture();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return M.readTree(r.body());
    }

    @Test
    void infoNamesTheVaultAndKey() throws Exception {
        JsonNode info = json(f().raw("GET", "/_emulator/info", null));
        assertEquals("ocid1.tenancy.oc1..emulatortenancy", info.get("tenancyId").asText());
        assertEquals("ocid1.compartment.oc1..emulatorcompartment", info.get("compartmentId").asText());
        assertEquals("ocid1.vault.oc1.eu-frankfurt-1.emulatorvault", info.get("vaultId").asText());
        assertEquals("ocid1.key.oc1.eu-frankfurt-1.emulatorkey", info.get("keyId").asText());
        assertEquals("eu-frankfurt-1", info.get("region").asText());
    }

    @Test
    void apiKeysSecretsCallsFaultsClockReset() throws Exception {
        ApiKeys.ApiKey k = ApiKeys.generate();
        String keyId = k.keyId(EmulatorFixture.TENANCY, "ocid1.user.oc1..admin");
        json(f().raw("POST", "/_emulator/api-keys", M.writeValueAsString(Map.of("keyId", keyId, "publicKeyPem",
                k.publicKeyPem()))));

        json(f().raw("POST", "/_emulator/secrets", "{\"name\":\"seeded\",\"content\":\"eA==\",\"freeformTags\":"
                + "{\"ovs_sync\":\"s\"}}"));
        JsonNode secrets = json(f().raw("GET", "/_emulator/secrets", null));
        assertEquals(1, secrets.size());
        JsonNode s = secrets.get(0);
        for (String field : List.of("id", "name", "lifecycleState", "freeformTags", "currentVersionNumber",
                "timeOfDeletion", "content")) {
            assertTrue(s.has(field), field);
        }
        assertEquals("eA==", s.get("content").asText());
        assertEquals("ACTIVE", s.get("lifecycleState").asText());

        f().vaults().listSecrets(ListSecretsRequest.builder().compartmentId(f().compartmentId()).build());
        assertEquals(1, json(f().raw("GET", "/_emulator/calls", null)).get("ListSecrets").asInt());
        f().raw("DELETE", "/_emulator/calls", null);
        assertEquals(0, json(f().raw("GET", "/_emulator/calls", null)).size());

        json(f().raw("POST", "/_emulator/faults", "{\"operation\":\"ListSecrets\",\"status\":429,\"rate\":1,"
                + "\"count\":1,\"latencyMs\":0}"));
        BmcException throttled = assertThrows(BmcException.class, () -> f().vaults().listSecrets(
                ListSecretsRequest.builder().compartmentId(f().compartmentId()).build()));
        assertEquals(List.of(429, "TooManyRequests"), List.of(throttled.getStatusCode(), throttled.getServiceCode()));
        f().vaults().listSecrets(ListSecretsRequest.builder().compartmentId(f().compartmentId()).build());
        assertEquals(2, json(f().raw("GET", "/_emulator/calls", null)).get("ListSecrets").asInt(),
                "a faulted call still counts: the client made it");

        json(f().raw("POST", "/_emulator/faults", "{\"operation\":\"*\",\"status\":503,\"rate\":1}"));
        assertEquals(503, assertThrows(BmcException.class, () -> f().vaults().listSecrets(ListSecretsRequest
                .builder().compartmentId(f().compartmentId()).build())).getStatusCode());
        json(f().raw("DELETE", "/_emulator/faults", null));
        f().vaults().listSecrets(ListSecretsRequest.builder().compartmentId(f().compartmentId()).build());

        JsonNode now = json(f().raw("POST", "/_emulator/clock", "{\"advanceSeconds\":86400}"));
        assertTrue(now.get("now").asText().endsWith("Z"));

        json(f().raw("POST", "/_emulator/reset", null));
        assertEquals(0, json(f().raw("GET", "/_emulator/secrets", null)).size());
        assertEquals(0, json(f().raw("GET", "/_emulator/invocations", null)).size());
        f().vaults().listSecrets(ListSecretsRequest.builder().compartmentId(f().compartmentId()).build());
    }

    @Test
    void faultsAfterTheOperationLoseOnlyTheAnswer() throws Exception {
        json(f().raw("POST", "/_emulator/faults", "{\"operation\":\"CreateSecret\",\"status\":500,\"after\":true,"
                + "\"count\":1}"));
        var details = com.oracle.bmc.vault.model.CreateSecretDetails.builder().compartmentId(f().compartmentId())
                .vaultId(f().vaultId()).keyId(f().keyId()).secretName("lost-answer")
                .secretContent(com.oracle.bmc.vault.model.Base64SecretContentDetails.builder().content("eA==").build())
                .build();
        assertEquals(500, assertThrows(BmcException.class, () -> f().vaults().createSecret(
                com.oracle.bmc.vault.requests.CreateSecretRequest.builder().createSecretDetails(details)
                        .opcRetryToken("t").build())).getStatusCode());
        assertEquals(1, json(f().raw("GET", "/_emulator/secrets", null)).size(), "the create happened");
        var again = f().vaults().createSecret(com.oracle.bmc.vault.requests.CreateSecretRequest.builder()
                .createSecretDetails(details).opcRetryToken("t").build());
        assertEquals(json(f().raw("GET", "/_emulator/secrets", null)).get(0).get("id").asText(),
                again.getSecret().getId(), "the retry with the same token gets the same secret");
    }

    @Test
    void errorsHaveOcisWireShape() {
        var r = RawHttp.send(f().emulator.port(), "GET", "/20180608/nothing-here", Map.of("host", "x"), null);
        assertEquals(404, r.status());
        assertEquals("{\"code\":\"NotAuthorizedOrNotFound\",\"message\":\"Authorization failed or requested resource "
                + "not found.\"}", r.body());
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals(32, r.headers().get("opc-request-id").length());
    }
}
