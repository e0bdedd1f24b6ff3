package ocivaultsync.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.bmc.functions.requests.InvokeFunctionRequest;
import com.oracle.bmc.keymanagement.KmsManagementClient;
import com.oracle.bmc.keymanagement.model.Key;
import com.oracle.bmc.keymanagement.model.Vault;
import com.oracle.bmc.keymanagement.requests.GetKeyRequest;
import com.oracle.bmc.keymanagement.requests.GetVaultRequest;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretContentDetails;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.SecretVersionSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CancelSecretDeletionRequest;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretVersionRequest;
import com.oracle.bmc.vault.requests.ListSecretVersionsRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The emulator, driven through the real OCI Java SDK only (signatures verified), as Moto is tested with boto3. Run
 * twice: signed as the Java, Python and Go SDKs sign ({@code date}, {@link DateSignedConformanceTest}) and as the
 * TypeScript SDK signs ({@code x-date}, {@link XDateSignedConformanceTest}).
 */
abstract class EmulatorConformanceTest {

    abstract EmulatorFixture f();

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    Secret create(String name, String value, Map<String, String> tags) {
        return f().vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(
                CreateSecretDetails.builder().compartmentId(f().compartmentId()).vaultId(f().vaultId())
                        .keyId(f().keyId()).secretName(name).freeformTags(tags)
                        .secretContent(Base64SecretContentDetails.builder().content(b64(value)).build()).build())
                .build()).getSecret();
    }

    String read(String id) {
        SecretBundle b = f().secrets().getSecretBundle(GetSecretBundleRequest.builder().secretId(id).build())
                .getSecretBundle();
        return new String(Base64.getDecoder().decode(((Base64SecretBundleContentDetails) b.getSecretBundleContent())
                .getContent()), StandardCharsets.UTF_8);
    }

    static BmcException error(Runnable call) {
        return assertThrows(BmcException.class, call::run);
    }

    Secret get(String id) {
        return f().vaults().getSecret(GetSecretRequest.builder().secretId(id).build()).getSecret();
    }

    @Nested
    class Operations {

        @Test
        void createGetAndReadByIdAndByName() {
            Secret s = create("db-pass", "s3cr3t", Map.of("team", "a"));
            assertEquals(Secret.LifecycleState.Active, s.getLifecycleState());
            assertTrue(s.getId().startsWith("ocid1.vaultsecret.oc1.eu-frankfurt-1."));
            assertEquals(1L, s.getCurrentVersionNumber());
            Secret got = get(s.getId());
            assertEquals("db-pass", got.getSecretName());
            assertEquals(Map.of("team", "a"), got.getFreeformTags());
            assertEquals("s3cr3t", read(s.getId()));
            SecretBundle byName = f().secrets().getSecretBundleByName(GetSecretBundleByNameRequest.builder()
                    .secretName("db-pass").vaultId(f().vaultId()).build()).getSecretBundle();
            assertEquals(s.getId(), byName.getSecretId());
            assertEquals(List.of(SecretBundle.Stages.Current, SecretBundle.Stages.Latest), byName.getStages());
        }

        @Test
        void contentUpdatesMakeVersionsAndTagOnlyUpdatesDoNot() {
            Secret s = create("api-key", "v1", Map.of());
            f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(s.getId()).updateSecretDetails(
                    UpdateSecretDetails.builder().freeformTags(Map.of("ovs_sync", "x")).build()).build());
            assertEquals(1L, get(s.getId()).getCurrentVersionNumber());
            f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(s.getId()).updateSecretDetails(
                    UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                            .content(b64("v2")).build()).build()).build());
            assertEquals(2L, get(s.getId()).getCurrentVersionNumber());
            assertEquals("v2", read(s.getId()));
            assertEquals(Map.of("ovs_sync", "x"), get(s.getId()).getFreeformTags());
            List<SecretVersionSummary> versions = f().vaults().listSecretVersions(ListSecretVersionsRequest.builder()
                    .secretId(s.getId()).build()).getItems();
            assertEquals(2, versions.size());
            assertEquals(List.of(SecretVersionSummary.Stages.Previous), versions.get(0).getStages());
            assertEquals(List.of(SecretVersionSummary.Stages.Current, SecretVersionSummary.Stages.Latest),
                    versions.get(1).getStages());
            assertEquals(2L, f().vaults().getSecretVersion(GetSecretVersionRequest.builder().secretId(s.getId())
                    .secretVersionNumber(2L).build()).getSecretVersion().getVersionNumber());
            assertEquals("v1", new String(Base64.getDecoder().decode(((Base64SecretBundleContentDetails) f().secrets()
                    .getSecretBundle(GetSecretBundleRequest.builder().secretId(s.getId()).stage(
                            GetSecretBundleRequest.Stage.Previous).build()).getSecretBundle().getSecretBundleContent())
                    .getContent()), StandardCharsets.UTF_8));
        }

        @Test
        void scheduleAndCancelDeletion() {
            Secret s = create("gone", "x", Map.of());
            Date when = Date.from(Instant.now().plus(Duration.ofDays(7)));
            f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(s.getId())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().timeOfDeletion(when)
                            .build()).build());
            Secret pending = get(s.getId());
            assertEquals(Secret.LifecycleState.PendingDeletion, pending.getLifecycleState());
            assertEquals(when.getTime() / 1000, pending.getTimeOfDeletion().getTime() / 1000);
            assertEquals(404, error(() -> read(s.getId())).getStatusCode(), "a pending secret cannot be read");
            f().vaults().cancelSecretDeletion(CancelSecretDeletionRequest.builder().secretId(s.getId()).build());
            assertEquals(Secret.LifecycleState.Active, get(s.getId()).getLifecycleState());
            assertNull(get(s.getId()).getTimeOfDeletion());
            assertEquals("x", read(s.getId()));
        }

        @Test
        void listsEveryPageInEveryStateAndFilters() {
            for (int i = 0; i < 25; i++) {
                create(String.format("s-%02d", i), "v" + i, Map.of());
            }
            Secret pending = create("s-pending", "p", Map.of());
            f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(pending.getId())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
            List<String> names = new ArrayList<>();
            int pages = 0;
            String page = null;
            do {
                ListSecretsResponse r = f().vaults().listSecrets(ListSecretsRequest.builder()
                        .compartmentId(f().compartmentId()).vaultId(f().vaultId()).page(page)
                        .sortBy(ListSecretsRequest.SortBy.Name).sortOrder(ListSecretsRequest.SortOrder.Asc).build());
                r.getItems().forEach(x -> names.add(x.getSecretName()));
                page = r.getOpcNextPage();
                pages++;
            } while (page != null);
            assertEquals(3, pages, "26 secrets in pages of 10");
            assertEquals(26, names.size());
            assertEquals("s-00", names.get(0));
            assertEquals("s-pending", names.get(25));
            List<SecretSummary> viaPaginator = new ArrayList<>();
            f().vaults().getPaginators().listSecretsRecordIterator(ListSecretsRequest.builder()
                    .compartmentId(f().compartmentId()).vaultId(f().vaultId()).build()).forEach(viaPaginator::add);
            assertEquals(26, viaPaginator.size());
            assertEquals(List.of("s-pending"), f().vaults().listSecrets(ListSecretsRequest.builder()
                    .compartmentId(f().compartmentId()).lifecycleState(SecretSummary.LifecycleState.PendingDeletion)
                    .build()).getItems().stream().map(SecretSummary::getSecretName).toList());
            assertEquals(List.of("s-07"), f().vaults().listSecrets(ListSecretsRequest.builder()
                    .compartmentId(f().compartmentId()).name("s-07").build()).getItems().stream()
                    .map(SecretSummary::getSecretName).toList());
            assertEquals(5, f().vaults().listSecrets(ListSecretsRequest.builder().compartmentId(f().compartmentId())
                    .limit(5).build()).getItems().size());
            assertEquals(400, error(() -> f().vaults().listSecrets(ListSecretsRequest.builder()
                    .compartmentId(f().compartmentId()).page("garbage").build())).getStatusCode());
        }

        @Test
        void kmsGetVaultPointsItsManagementEndpointBackAtTheEmulator() {
            Vault vault = f().kms().getVault(GetVaultRequest.builder().vaultId(f().vaultId()).build()).getVault();
            assertEquals(f().emulator.endpoint(), vault.getManagementEndpoint());
            try (KmsManagementClient mgmt = KmsManagementClient.builder().configuration(EmulatorFixture.noRetries())
                    .vault(vault).build(f().auth)) {
                Key key = mgmt.getKey(GetKeyRequest.builder().keyId(f().keyId()).build()).getKey();
                assertEquals(Key.LifecycleState.Enabled, key.getLifecycleState());
                assertEquals(f().vaultId(), key.getVaultId());
            }
        }

        @Test
        void detachedInvocationsAreRecordedWithTheirBodies() throws Exception {
            var r = f().functions().invokeFunction(InvokeFunctionRequest.builder()
                    .functionId("ocid1.fnfunc.oc1.eu-frankfurt-1.self")
                    .fnInvokeType(InvokeFunctionRequest.FnInvokeType.Detached)
                    .invokeFunctionBody(com.oracle.bmc.util.StreamUtils.createByteArrayInputStream(
                            "{\"retry\":{\"sync\":\"a\"}}".getBytes())).build());
            assertNotNull(r.getOpcRequestId());
            var all = f().emulator.invocations().all();
            assertEquals(1, all.size());
            assertEquals("detached", all.get(0).invokeType());
            assertEquals("{\"retry\":{\"sync\":\"a\"}}", all.get(0).body());
            assertEquals(1L, f().emulator.calls().get("InvokeFunction"));
        }
    }

    @Nested
    class Rules {

        @Test
        void aNameStaysReservedWhilePendingDeletionAndAfter() {
            Secret s = create("reserved", "x", Map.of());
            BmcException dup = error(() -> create("reserved", "y", Map.of()));
            assertEquals(List.of(400, "InvalidParameter"), List.of(dup.getStatusCode(), dup.getServiceCode()));
            assertTrue(dup.getMessage().contains("already exists"));
            f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(s.getId())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
            assertEquals(400, error(() -> create("reserved", "y", Map.of())).getStatusCode());
            f().emulator.clock().advance(Duration.ofDays(31));
            assertEquals(Secret.LifecycleState.Deleted, get(s.getId()).getLifecycleState());
            assertEquals(400, error(() -> create("reserved", "y", Map.of())).getStatusCode());
            // the contradictory signals real OCI gives (ESO #6771): by name 404, create "exists"
            assertEquals(404, error(() -> f().secrets().getSecretBundleByName(GetSecretBundleByNameRequest.builder()
                    .secretName("reserved").vaultId(f().vaultId()).build())).getStatusCode());
        }

        @Test
        void wrongStateOperationsAreIncorrectState() {
            Secret s = create("stateful", "x", Map.of());
            BmcException cancel = error(() -> f().vaults().cancelSecretDeletion(CancelSecretDeletionRequest.builder()
                    .secretId(s.getId()).build()));
            assertEquals(List.of(409, "IncorrectState"), List.of(cancel.getStatusCode(), cancel.getServiceCode()));
            f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(s.getId())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
            assertEquals(409, error(() -> f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(s.getId())
                    .updateSecretDetails(UpdateSecretDetails.builder().freeformTags(Map.of()).build()).build()))
                    .getStatusCode());
            assertEquals(409, error(() -> f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder()
                    .secretId(s.getId()).scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build())
                    .build())).getStatusCode());
        }

        @Test
        void theDeletionWindowIsOneToThirtyDays() {
            Secret s = create("window", "x", Map.of());
            // Exactly 1 to 30 days: a second short of a day is refused (the request's own flight only makes it shorter).
            for (Duration d : List.of(Duration.ofHours(12), Duration.ofDays(1).minusSeconds(1), Duration.ofDays(31),
                    Duration.ofDays(30).plusSeconds(30))) {
                BmcException e = error(() -> f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest
                        .builder().secretId(s.getId()).scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails
                                .builder().timeOfDeletion(Date.from(Instant.now().plus(d))).build()).build()));
                assertEquals(List.of(400, "InvalidParameter"), List.of(e.getStatusCode(), e.getServiceCode()));
            }
            f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(s.getId())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
            long days = Duration.between(Instant.now(), get(s.getId()).getTimeOfDeletion().toInstant()).toDays();
            assertTrue(days >= 29 && days <= 30, "the default window is 30 days: " + days);
        }

        @Test
        void contentNameAndTagLimits() {
            assertEquals(400, error(() -> create("big", "x".repeat(25 * 1024 + 1), Map.of())).getStatusCode());
            create("just-fits", "x".repeat(25 * 1024), Map.of());
            BmcException bad = error(() -> create("has space", "x", Map.of()));
            assertEquals("InvalidParameter", bad.getServiceCode());
            assertEquals(400, error(() -> create("n".repeat(256), "x", Map.of())).getStatusCode());
            assertEquals(400, error(() -> create("tags", "x", Map.of("k", "v".repeat(257)))).getStatusCode());
            assertEquals(400, error(() -> create("empty", "", Map.of())).getStatusCode());
            BmcException wrongKey = error(() -> f().vaults().createSecret(CreateSecretRequest.builder()
                    .createSecretDetails(CreateSecretDetails.builder().compartmentId(f().compartmentId())
                            .vaultId(f().vaultId()).keyId("ocid1.key.oc1.eu-frankfurt-1.other").secretName("k")
                            .secretContent(Base64SecretContentDetails.builder().content(b64("x")).build()).build())
                    .build()));
            assertEquals("RelatedResourceNotAuthorizedOrNotFound", wrongKey.getServiceCode());
        }

        @Test
        void versionLimit() {
            Secret s = create("versions", "v0", Map.of());
            for (int i = 1; i < 30; i++) {
                update(s.getId(), "v" + i);
            }
            BmcException e = error(() -> update(s.getId(), "v30"));
            assertEquals(List.of(400, "LimitExceeded"), List.of(e.getStatusCode(), e.getServiceCode()));
        }

        @Test
        void secretLimitPerTenancy() {
            try (EmulatorFixture small = new EmulatorFixture(EmulatorOptions.defaults().withMaxSecrets(2))) {
                for (int i = 0; i < 3; i++) {
                    String name = "s" + i;
                    Runnable c = () -> small.vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(
                            CreateSecretDetails.builder().compartmentId(small.compartmentId())
                                    .vaultId(small.vaultId()).keyId(small.keyId()).secretName(name)
                                    .secretContent(Base64SecretContentDetails.builder().content(b64("x")).build())
                                    .build()).build());
                    if (i < 2) {
                        c.run();
                    } else {
                        assertEquals("LimitExceeded", error(c).getServiceCode());
                    }
                }
            }
        }

        @Test
        void ifMatchGuardsEveryWrite() {
            Secret s = create("etag", "x", Map.of());
            String etag = f().vaults().getSecret(GetSecretRequest.builder().secretId(s.getId()).build()).getEtag();
            update(s.getId(), "y");
            BmcException e = error(() -> f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(s.getId())
                    .ifMatch(etag).updateSecretDetails(UpdateSecretDetails.builder().freeformTags(Map.of()).build())
                    .build()));
            assertEquals(List.of(412, "NoEtagMatch"), List.of(e.getStatusCode(), e.getServiceCode()));
            String fresh = f().vaults().getSecret(GetSecretRequest.builder().secretId(s.getId()).build()).getEtag();
            assertNotEquals(etag, fresh);
            f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(s.getId()).ifMatch(fresh)
                    .updateSecretDetails(UpdateSecretDetails.builder().freeformTags(Map.of("a", "b")).build()).build());
        }

        @Test
        void aRetryTokenMakesCreateIdempotent() {
            var details = CreateSecretDetails.builder().compartmentId(f().compartmentId()).vaultId(f().vaultId())
                    .keyId(f().keyId()).secretName("once")
                    .secretContent(Base64SecretContentDetails.builder().content(b64("x")).build()).build();
            Secret a = f().vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(details)
                    .opcRetryToken("token-1").build()).getSecret();
            Secret b = f().vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(details)
                    .opcRetryToken("token-1").build()).getSecret();
            assertEquals(a.getId(), b.getId());
            var other = CreateSecretDetails.builder().compartmentId(f().compartmentId()).vaultId(f().vaultId())
                    .keyId(f().keyId()).secretName("twice")
                    .secretContent(Base64SecretContentDetails.builder().content(b64("x")).build()).build();
            BmcException e = error(() -> f().vaults().createSecret(CreateSecretRequest.builder()
                    .createSecretDetails(other).opcRetryToken("token-1").build()));
            assertEquals(List.of(409, "InvalidatedRetryToken"), List.of(e.getStatusCode(), e.getServiceCode()));
        }

        private void update(String id, String value) {
            f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(id).updateSecretDetails(
                    UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                            .content(b64(value)).stage(SecretContentDetails.Stage.Current).build()).build()).build());
        }
    }
}
