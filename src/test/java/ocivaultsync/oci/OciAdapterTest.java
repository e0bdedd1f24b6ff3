package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultException;
import ocivaultsync.apply.VaultPort;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.config.ConfigHolder;
import ocivaultsync.config.ConfigLoader;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.SecretRef;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.DestinationSecret;
import ocivaultsync.reconcile.LifecycleState;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.OciCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The SDK adapter against the emulator: auth modes, the port's operations and errors, secret references. */
class OciAdapterTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(2));

    @TempDir
    Path dir;

    static EmulatorFixture f() {
        return EMULATOR.fixture();
    }

    OciClients explicitKey() throws Exception {
        return OciTestSupport.apiKeyClients(f(), dir);
    }

    Destination target() {
        return OciTestSupport.destination(f());
    }

    @Test
    void warmingUpBuildsTheClientsWithoutCallingOci() throws Exception {
        try (OciClients clients = explicitKey()) {
            f().emulator.calls().reset();
            assertEquals("auth, clients, request path", clients.warmUp());
            assertEquals(Map.of(), f().emulator.calls().snapshot(), "the warm-up sends nothing to OCI");
            String id = new OciVault(clients, "eu-frankfurt-1", new CallCounter()).create(target(), "warm-a",
                    SecretValue.ofUtf8("a"), Map.of("ovs_sync", "s"));
            assertEquals(SecretValue.ofUtf8("a"), new OciVault(clients, "eu-frankfurt-1", new CallCounter())
                    .readCurrent(id));
        }
        OciClients closed = explicitKey();
        closed.close();
        assertEquals("nothing (closed)", closed.warmUp());
    }

    @Test
    void theVaultPortCoversEveryOperationAndCountsCalls() throws Exception {
        try (OciClients clients = explicitKey()) {
            CallCounter calls = new CallCounter();
            OciVault vault = new OciVault(clients, "eu-frankfurt-1", calls);
            String id = vault.create(target(), "port-a", SecretValue.ofUtf8("v1"), Map.of("ovs_sync", "s"));
            vault.create(target(), "port-b", SecretValue.ofUtf8("b"), Map.of());
            vault.create(target(), "port-c", SecretValue.ofUtf8("c"), Map.of());
            VaultPort.Versioned seen = vault.get(id);
            assertEquals(Map.of("ovs_sync", "s"), seen.secret().freeformTags());
            assertEquals(1, seen.currentVersion());
            vault.update(id, SecretValue.ofUtf8("v2"), Map.of("ovs_sync", "s", "k", "v"), seen.etag());
            assertEquals(SecretValue.ofUtf8("v2"), vault.readCurrent(id));
            VaultException stale = assertThrows(VaultException.class,
                    () -> vault.update(id, null, Map.of("ovs_sync", "s"), seen.etag()));
            assertEquals(VaultException.Kind.CONFLICT, stale.kind(), "412 on an etag that is no longer current");
            vault.update(id, null, Map.of("ovs_sync", "s"), vault.get(id).etag());
            List<DestinationSecret> all = vault.list(target());
            assertEquals(3, all.size(), "three secrets over two pages of two");
            DestinationSecret a = all.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
            assertEquals(Map.of("ovs_sync", "s"), a.freeformTags());
            vault.scheduleDeletion(id, java.time.Instant.now().plus(Duration.ofDays(3)));
            DestinationSecret pending = vault.findByName(target(), "port-a").get(0);
            assertEquals(LifecycleState.PENDING_DELETION, pending.state());
            assertTrue(pending.timeOfDeletion() != null);
            vault.cancelDeletion(id);
            assertEquals(LifecycleState.ACTIVE, vault.findByName(target(), "port-a").get(0).state());
            assertEquals(new OciCalls(4, 3, 8), calls.snapshot(), "GetSecret counts as a read");
        }
    }

    @Test
    void errorsAreClassifiedWithOcisCodeAndRequestIdButNoValue() throws Exception {
        try (OciClients clients = explicitKey()) {
            OciVault vault = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            vault.create(target(), "dup", SecretValue.ofUtf8("first-canary"), Map.of());
            VaultException exists = assertThrows(VaultException.class,
                    () -> vault.create(target(), "dup", SecretValue.ofUtf8("second-canary"), Map.of()));
            assertEquals(VaultException.Kind.NAME_EXISTS, exists.kind());
            assertEquals("InvalidParameter", exists.code());
            assertEquals(32, exists.opcRequestId().length());
            assertFalse(exists.describe().contains("canary"));
            assertEquals(VaultException.Kind.NOT_FOUND, assertThrows(VaultException.class,
                    () -> vault.readCurrent("ocid1.vaultsecret.oc1.eu-frankfurt-1.nope")).kind());
            String id = vault.findByName(target(), "dup").get(0).id();
            VaultException state = assertThrows(VaultException.class, () -> vault.cancelDeletion(id));
            assertEquals(VaultException.Kind.INCORRECT_STATE, state.kind());
            assertTrue(state.describe().startsWith("OCI IncorrectState (HTTP 409, opc-request-id "), state.describe());
        }
    }

    @Test
    void oneValueIsRedactedFromOcisMessageInEveryFormBeforeItIsCut() {
        String value = "p\u00e4ss\"wo/rd\nline-two";
        SecretValue v = SecretValue.ofUtf8(value);
        for (String form : List.of(value, v.base64(), SecretValue.json(value, false, false),
                SecretValue.json(value, true, false), SecretValue.json(value, false, true), SecretValue.json(value, true,
                        true))) {
            String text = "x".repeat(495) + " secretContent '" + form + "' is invalid";
            String out = OciErrors.redact(text, v);
            assertEquals("x".repeat(495) + " secretContent '***' is invalid", out, "form " + form.length());
        }
        assertEquals(OciErrors.WITHHELD, OciErrors.redact("content 'abc' is too short", SecretValue.ofUtf8("abc")));
        assertEquals(OciErrors.WITHHELD, OciErrors.redact("content \"q\\\"\" is odd", SecretValue.ofUtf8("q\"")));
        assertEquals("a message about nothing", OciErrors.redact("a message about nothing", SecretValue.ofUtf8("zz")));
    }

    @Test
    void aValueAcrossTheCutIsRedactedWholeAndShortValuesWithholdTheMessage() {
        String value = "canary-value-0123456789";
        String echoed = "Invalid secretContent " + "y".repeat(470) + " \"" + value + "\" rejected";
        VaultException e = OciErrors.classify(new com.oracle.bmc.model.BmcException(400, "InvalidParameter", echoed,
                "req-1"), SecretValue.ofUtf8(value));
        assertFalse(e.describe().contains("canary"), e.describe());
        assertFalse(e.describe().contains("canary-value-01"), "no prefix of the value survives the cut");
        assertTrue(e.getMessage().endsWith("…"), e.getMessage());
        VaultException shortValue = OciErrors.classify(new com.oracle.bmc.model.BmcException(400, "InvalidParameter",
                "content 'ab' is not allowed", "req-2"), SecretValue.ofUtf8("ab"));
        assertEquals(OciErrors.WITHHELD, shortValue.getMessage());
        assertEquals(VaultException.Kind.INVALID, shortValue.kind());
    }

    @Test
    void aBrokenOciConfigFileIsNeverQuoted() throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[DEFAULT]\nuser=ocid1.user.oc1..u\npass_phrase hunter2-canary\n");
        OciSetupException e = assertThrows(OciSetupException.class, () -> OciAuth.build(OciTestSupport.options(f(),
                OciOptions.AuthMode.API_KEY, OciOptions.ApiKey.none(), config.toString(), "DEFAULT",
                Optional.empty())));
        assertEquals("ovs.oci.config-file: profile DEFAULT of " + config + " cannot be used: a line is not a "
                + "key=value pair (the line is not repeated here)", e.getMessage());
        Files.writeString(config, "[DEFAULT]\nuser=ocid1.user.oc1..u\n");
        assertEquals("ovs.oci.config-file: profile OTHER of " + config + " cannot be used: the profile does not "
                + "exist", assertThrows(OciSetupException.class, () -> OciAuth.build(OciTestSupport.options(f(),
                        OciOptions.AuthMode.API_KEY, OciOptions.ApiKey.none(), config.toString(), "OTHER",
                        Optional.empty()))).getMessage());
    }

    @Test
    void throttlingIsRetriedShortlyThenSurfaces() throws Exception {
        try (OciClients clients = explicitKey()) {
            OciVault vault = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            f().emulator.faults().add(new ocivaultsync.emulator.Faults.Rule("ListSecrets", 429, 1.0, 1, 0, false,
                    false));
            assertEquals(0, vault.list(target()).size(), "one 429 is absorbed by the SDK's own retry");
            f().emulator.faults().add(new ocivaultsync.emulator.Faults.Rule("ListSecrets", 429, 1.0, null, 0, false,
                    false));
            long started = System.nanoTime();
            VaultException e = assertThrows(VaultException.class, () -> vault.list(target()));
            assertEquals(VaultException.Kind.THROTTLED, e.kind());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "no two-minute stall");
            assertEquals(4, f().emulator.calls().get("ListSecrets"), "1 + (1 retried) + 2 attempts");
        }
    }

    @Test
    void apiKeyAuthReadsAProfileOfTheOciConfigFile() throws Exception {
        Path key = dir.resolve("cli_key.pem");
        Files.writeString(key, f().key.privateKeyPem());
        Path config = dir.resolve("config");
        Files.writeString(config, "[DEFAULT]\nuser=ocid1.user.oc1..nobody\nfingerprint=00:00\nkey_file=" + key
                + "\ntenancy=" + EmulatorFixture.TENANCY + "\nregion=eu-frankfurt-1\n\n[EMULATOR]\nuser="
                + EmulatorFixture.USER + "\nfingerprint=" + f().key.fingerprint() + "\nkey_file=" + key + "\ntenancy="
                + EmulatorFixture.TENANCY + "\nregion=eu-frankfurt-1\n");
        try (OciClients clients = new OciClients(OciTestSupport.options(f(), OciOptions.AuthMode.AUTO,
                OciOptions.ApiKey.none(), config.toString(), "EMULATOR", Optional.empty()))) {
            assertEquals(List.of(), new OciVault(clients, "eu-frankfurt-1", new CallCounter()).list(target()));
            assertEquals(Optional.of("eu-frankfurt-1"), clients.auth().region());
            assertTrue(clients.auth().mode().startsWith("api-key ("));
        }
        try (OciClients wrong = new OciClients(OciTestSupport.options(f(), OciOptions.AuthMode.API_KEY,
                OciOptions.ApiKey.none(), config.toString(), "DEFAULT", Optional.empty()))) {
            VaultException e = assertThrows(VaultException.class,
                    () -> new OciVault(wrong, "eu-frankfurt-1", new CallCounter()).list(target()));
            assertEquals(VaultException.Kind.UNAUTHORIZED, e.kind());
        }
    }

    @Test
    void authSetupErrorsNameTheSetting() {
        OciSetupException missing = assertThrows(OciSetupException.class, () -> new OciClients(OciTestSupport
                .options(f(), OciOptions.AuthMode.API_KEY, OciOptions.ApiKey.none(), dir.resolve("none").toString(),
                        "DEFAULT", Optional.empty())).auth());
        assertEquals("ovs.oci.config-file: " + dir.resolve("none") + " does not exist; set ovs.oci.auth or the "
                + "api-key settings", missing.getMessage());
        OciSetupException rp = assertThrows(OciSetupException.class, () -> OciAuth.build(OciTestSupport.options(f(),
                OciOptions.AuthMode.AUTO, OciOptions.ApiKey.none(), "x", "DEFAULT", Optional.of("2.2"))));
        assertTrue(rp.getMessage().startsWith("ovs.oci.auth: the resource-principal provider could not be built ("),
                rp.getMessage());
        assertEquals("ovs.oci.auth: must be one of auto, resource-principal, instance-principal, api-key",
                assertThrows(OciSetupException.class, () -> OciOptions.AuthMode.parse("password")).getMessage());
        OciOptions o = OciTestSupport.options(f(), OciOptions.AuthMode.API_KEY, OciOptions.ApiKey.none(), "x",
                "DEFAULT", Optional.empty());
        assertEquals("ovs.oci.max-attempts: must be 1 or more", assertThrows(OciSetupException.class,
                () -> new OciOptions(o.auth(), o.region(), o.vaultsEndpoint(), o.secretsEndpoint(),
                        o.functionsEndpoint(), o.configFile(), o.profile(), o.apiKey(), 0, o.maxRetryDelay(),
                        o.connectTimeout(), o.readTimeout(), o.resourcePrincipalVersion())).getMessage());
        OciSetupException noUser = assertThrows(OciSetupException.class, () -> OciAuth.build(OciTestSupport.options(
                f(), OciOptions.AuthMode.API_KEY, new OciOptions.ApiKey(Optional.of(EmulatorFixture.TENANCY),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), "x",
                "DEFAULT", Optional.empty())));
        assertEquals("ovs.oci.api-key.user-id: is required with ovs.oci.api-key.tenancy-id", noUser.getMessage());
    }

    /** A configuration held in the vault, its fingerprint key too. */
    ConfigBuilder fromVault(String fingerprintKeySecretId) {
        return ConfigBuilder.withFingerprintKeySecret(fingerprintKeySecretId)
                .sync("from-vault", s -> s.fileSource("x.yaml").destination(f().emulator.vault().identity())
                        .keySchema("from-vault-{{secretKey}}"));
    }

    @Test
    void aSharedVaultCheckThatCannotReachOciRefusesReadablyAndHealsAfterwards() throws Exception {
        String fpId = f().seed("fp-key-500", "fingerprint-key-held-in-the-vault-0123", Map.of(), null);
        String cfgId = f().seed("ovs-config-500", fromVault(fpId).yaml(), Map.of(), null);
        f().emulator.faults().add(new ocivaultsync.emulator.Faults.Rule("GetSecret", 500, 1.0, null, 0, false,
                false));
        try (OciClients clients = explicitKey()) {
            SecretResolver resolver = new SecretResolver(clients);
            ConfigHolder holder = new ConfigHolder(ConfigLoader.Location.of(null, null, cfgId), new ConfigParser(false),
                    resolver, () -> resolver.invalidate(cfgId), Duration.ofMinutes(5), Clock.systemUTC(),
                    resolver::vaultOf, false);
            var refused = assertThrows(ocivaultsync.config.ConfigException.class, holder::get);
            assertTrue(refused.getMessage().startsWith("the vault of the configuration secret " + cfgId
                    + " cannot be checked (secret " + cfgId + " cannot be looked up: OCI "), refused.getMessage());
            assertTrue(refused.getMessage().contains("(HTTP 500, opc-request-id "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("); every call is refused until it can be, or until "
                    + "ovs.allow-shared-vault=true"), refused.getMessage());
            f().emulator.faults().clear();
            var shared = assertThrows(ocivaultsync.config.ConfigException.class, holder::get);
            assertTrue(shared.getMessage().contains(" lives in vault " + f().vaultId()), "the check ran again: "
                    + shared.getMessage());
        } finally {
            f().emulator.faults().clear();
        }
    }

    @Test
    void secretReferencesAndTheConfigSecretAreReadThroughTheSecretsApiOncePerContainer() throws Exception {
        String fpId = f().seed("fp-key", "fingerprint-key-held-in-the-vault-0123", Map.of(), null);
        String cfgId = f().seed("ovs-config", fromVault(fpId).yaml(), Map.of(), null);
        try (OciClients clients = explicitKey()) {
            SecretResolver resolver = new SecretResolver(clients);
            ConfigHolder shared = new ConfigHolder(ConfigLoader.Location.of(null, null, cfgId), new ConfigParser(false),
                    resolver, () -> resolver.invalidate(cfgId), Duration.ofMinutes(5), Clock.systemUTC(),
                    resolver::vaultOf, false);
            var refused = assertThrows(ocivaultsync.config.ConfigException.class, shared::get);
            assertTrue(refused.getMessage().contains("the configuration secret " + cfgId + " lives in vault "
                    + f().vaultId() + ", which sync from-vault writes to; keep the function's own secrets in a "
                    + "separate control vault, or set ovs.allow-shared-vault=true"), refused.getMessage());
            assertEquals(1, f().emulator.calls().get("GetSecret"), "one metadata read tells the vault");
            assertEquals(Optional.empty(), resolver.vaultOf("ocid1.vaultsecret.oc1.eu-frankfurt-1.incontrolvault"),
                    "a secret the function may only read (404 to its metadata) is not in a vault it writes to");
            f().emulator.calls().reset();
            resolver.invalidate(cfgId);
            ConfigHolder holder = new ConfigHolder(ConfigLoader.Location.of(null, null, cfgId), new ConfigParser(false),
                    resolver, () -> resolver.invalidate(cfgId), Duration.ofMinutes(5), Clock.systemUTC(),
                    resolver::vaultOf, true);
            var cfg = holder.get();
            assertEquals(0, f().emulator.calls().get("GetSecret"), "ovs.allow-shared-vault=true skips the check");
            assertEquals("from-vault", cfg.syncs().get(0).name());
            assertEquals("fingerprint-key-held-in-the-vault-0123", resolver.resolve(cfg.fingerprintKey()));
            holder.get();
            resolver.resolve(new SecretRef.VaultSecret(fpId));
            assertEquals(2, f().emulator.calls().get("GetSecretBundle"), "one read per secret per container");
            holder.invalidate();
            holder.get();
            assertEquals(3, f().emulator.calls().get("GetSecretBundle"), "a changed config secret is read again");
            var unreadable = assertThrows(SecretResolver.UnreadableSecretException.class,
                    () -> resolver.read("ocid1.vaultsecret.oc1.eu-frankfurt-1.missing"));
            assertTrue(unreadable.getMessage().startsWith("secret ocid1.vaultsecret.oc1.eu-frankfurt-1.missing cannot "
                    + "be read: OCI NotAuthorizedOrNotFound (HTTP 404"), unreadable.getMessage());
        }
    }

    @Test
    void aSecretIsReadAgainAfterTheCacheTimeAndItsRotationShowsCurrentAndPrevious() throws Exception {
        String id = f().seed("cached-key", "first-version-0123456789abcdef-0123", Map.of(), null);
        ocivaultsync.e2e.TestClock clock = new ocivaultsync.e2e.TestClock();
        try (OciClients clients = explicitKey()) {
            SecretResolver resolver = new SecretResolver(clients, Duration.ofMinutes(5), clock);
            SecretResolver.Rotation once = resolver.readRotation(id);
            assertEquals("first-version-0123456789abcdef-0123", once.current());
            assertEquals(Optional.empty(), once.previous(), "OCI answers 404 for PREVIOUS before a rotation");
            f().vaults().updateSecret(com.oracle.bmc.vault.requests.UpdateSecretRequest.builder().secretId(id)
                    .updateSecretDetails(com.oracle.bmc.vault.model.UpdateSecretDetails.builder()
                            .secretContent(com.oracle.bmc.vault.model.Base64SecretContentDetails.builder()
                                    .content(java.util.Base64.getEncoder().encodeToString(
                                            "second-version-0123456789abcdef-01".getBytes())).build()).build())
                    .build());
            f().emulator.clock().advance(Duration.ofSeconds(5));
            f().emulator.calls().reset();
            assertEquals("first-version-0123456789abcdef-0123", resolver.read(id), "within the cache time");
            assertEquals(0, f().emulator.calls().get("GetSecretBundle"));
            clock.advance(Duration.ofMinutes(5));
            assertEquals("second-version-0123456789abcdef-01", resolver.read(id), "read again after it");
            assertEquals("second-version-0123456789abcdef-01", resolver.read(id));
            assertEquals(1, f().emulator.calls().get("GetSecretBundle"));
            SecretResolver.Rotation rotated = resolver.readRotation(id);
            assertEquals("second-version-0123456789abcdef-01", rotated.current());
            assertEquals(Optional.of("first-version-0123456789abcdef-0123"), rotated.previous(),
                    "GetSecretBundle with stage PREVIOUS");
            assertTrue(rotated.currentSince().isAfter(once.currentSince()), rotated.toString());
            assertFalse(rotated.toString().contains("version-0123"), "a rotation never prints its values");
        }
    }
}
