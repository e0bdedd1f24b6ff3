package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.GatewayWebhook;
import ocivaultsync.trigger.WebhookVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code event} function and the other triggers, end to end (README, 'Calling it'). */
class EventsEndToEndTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults()
            .withTransitionsBetween(50, 500));

    static final String SIGNING_KEY = "webhook-signing-key-0123456789abcdef";

    /** Four syncs: two on the file (one manual only), two on Infisical projects (one with a webhook key). */
    ConfigBuilder config() {
        return h.newConfig()
                .sync("auto", s -> s.keySchema("auto-{{secretKey}}"))
                .sync("manual", s -> s.keySchema("manual-{{secretKey}}").autoSync(false))
                .sync("hooked", s -> s.infisicalSource(infisical.url(), "proj-1", "prod").secretPath("/app")
                        .recursive(true).auth("id", "s").webhookSigningKey(SIGNING_KEY)
                        .keySchema("hooked-{{secretKey}}"))
                .sync("unsigned", s -> s.infisicalSource(infisical.url(), "proj-2", "prod").auth("id", "s")
                        .keySchema("unsigned-{{secretKey}}"));
    }

    @TempDir
    Path dir;
    Harness h;
    ocivaultsync.source.infisical.InfisicalTestServer infisical;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(EMULATOR.fixture(), dir);
        infisical = new ocivaultsync.source.infisical.InfisicalTestServer(h.clock).identity("id", "s");
        infisical.put("proj-1", "prod", "/app", "HOOK", "h");
        infisical.put("proj-2", "prod", "/", "U", "u");
        h.config(config());
        h.source(Map.of("A", "1", "B", "2"));
    }

    @AfterEach
    void tearDown() {
        infisical.close();
        h.close();
    }

    static RequestException refused(Runnable r) {
        return assertThrows(RequestException.class, r::run);
    }

    static SyncReport only(RunReport r, String name) {
        return r.syncs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Nested
    class OciEvents {

        String event(String type, String resourceId, String compartment) {
            // OCI stamps an event by its own clock (the emulator's): two minutes after the run's writes, an edit by
            // someone else rather than the run's own write coming back.
            return event(type, resourceId, compartment, h.f.emulator.clock().now().plusSeconds(120));
        }

        String event(String type, String resourceId, String compartment, Instant at) {
            return """
                    {"eventType": "%s", "cloudEventsVersion": "0.1", "eventTypeVersion": "2.0",
                     "source": "vaultsecret", "eventTime": "%s", "contentType": "application/json",
                     "eventID": "e-1", "extensions": {"compartmentId": "%s"},
                     "data": {"compartmentId": "%s", "resourceName": "x", "resourceId": "%s",
                              "additionalDetails": {}}}
                    """.formatted(type, at, compartment, compartment, resourceId);
        }

        @Test
        void theEventOfTheFunctionsOwnWriteRunsNothing() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            String id = h.secret("auto-A").id();
            h.f.emulator.calls().reset();
            RunReport r = h.call("event", event("com.oraclecloud.vaultsecret.createsecret", id, h.f.compartmentId(),
                    h.f.emulator.clock().now()), Map.of());
            assertEquals(List.of(), r.syncs());
            assertEquals(Map.of(), h.f.emulator.calls().snapshot(), "not even a list call");
        }

        @Test
        void bothSpellingsOfAnEventTypeRunTheSyncAndABeginRunsNothing() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            String id = h.secret("auto-A").id();
            for (String type : List.of("com.oraclecloud.vaultsecret.updatesecret",
                    "com.oraclecloud.vaultsecret.updatesecret.end", "com.oraclecloud.vaultsecret.cancelsecretdeletion",
                    "com.oraclecloud.vaultsecret.schedulesecretdeletion.end")) {
                RunReport r = h.call("event", event(type, id, h.f.compartmentId()), Map.of());
                assertEquals(List.of("auto", "manual", "hooked", "unsigned"), r.syncs().stream().map(SyncReport::name)
                        .toList(), type + ": the untagged secret concerns every sync of its compartment");
            }
            h.f.emulator.calls().reset();
            RunReport begin = h.call("event", event("com.oraclecloud.vaultsecret.updatesecret.begin", id,
                    h.f.compartmentId()), Map.of());
            assertEquals(List.of(), begin.syncs());
            assertEquals(Map.of(), h.f.emulator.calls().snapshot(), "a .begin costs no OCI call");
        }

        @Test
        void anEventOnAManagedSecretDeepChecksThatSecretAndRepairsIt() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            // The sync's status is on its state secret (a schedule records it if the sync's own pass ended while the
            // state secret it created was still CREATING): the event's pass finds it unchanged.
            h.call("event", "{\"trigger\":\"schedule\",\"sync\":\"auto\"}", Map.of());
            String id = h.secret("auto-A").id();
            h.settle(); // the run's own writes finish their transitions first
            h.f.vaults().updateSecret(UpdateSecretRequest.builder().secretId(id).updateSecretDetails(
                    UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                            .content(Harness.b64("edited out of band")).build()).build()).build());
            RunReport r = h.call("event", event("com.oraclecloud.vaultsecret.createsecretversion.end", id,
                    h.f.compartmentId()), Map.of());
            assertEquals(Trigger.OCI_EVENT, r.trigger());
            SyncReport auto = only(r, "auto");
            assertEquals(List.of("auto-A UPDATE DONE"), lines(auto));
            assertEquals(new OciCalls(1, 3, 1), auto.ociCalls(), "one bundle read: only the secret of the event; the "
                    + "intent read again before the write, and the secret read for the etag its update carries");
            assertEquals("1", h.value("auto-A"));
            assertEquals(SyncStatus.SKIPPED, only(r, "manual").status(), "auto-sync off: events do not run it");
        }

        @Test
        void anEventInAnotherCompartmentRunsNothingAndOtherEventTypesAreRefused() {
            RunReport r = h.call("event", event("com.oraclecloud.vaultsecret.updatesecret", "ocid1.vaultsecret.oc1.x.y",
                    "ocid1.compartment.oc1..elsewhere"), Map.of());
            assertEquals(List.of(), r.syncs());
            RequestException e = refused(() -> h.call("event", event("com.oraclecloud.objectstorage.createbucket",
                    "x", "y"), Map.of()));
            assertEquals("INVALID_REQUEST", e.code());
            assertEquals("unsupported OCI event type com.oraclecloud.objectstorage.createbucket; only "
                    + "com.oraclecloud.vaultsecret.* events are handled", e.getMessage());
        }

        @Test
        void anEventOnTheConfigSecretReloadsTheConfigurationAndRunsEverySync() {
            RunReport r = h.call("event", event("com.oraclecloud.vaultsecret.updatesecret", h.configSecretId,
                    h.f.compartmentId()), Map.of());
            assertEquals(List.of("invalidated"), h.configInvalidations);
            assertEquals(List.of("auto", "manual", "hooked", "unsigned"), r.syncs().stream().map(SyncReport::name)
                    .toList());
            assertEquals(SyncStatus.SKIPPED, only(r, "manual").status());
        }
    }

    @Nested
    class Webhooks {

        String body(String projectId, String path, long ts) {
            return InfisicalWebhooks.body(projectId, path, ts);
        }

        Map<String, String> signed(String body, long ts, String key) {
            return InfisicalWebhooks.signed(body, ts, key);
        }

        @Test
        void aSignedWebhookRunsTheSyncsOfItsProjectEnvironmentAndPath() throws Exception {
            long ts = h.clock.instant().toEpochMilli();
            String body = body("proj-1", "/app/sub", ts);
            RunReport r = h.call("event", body, signed(body, ts, SIGNING_KEY));
            assertEquals(Trigger.INFISICAL_WEBHOOK, r.trigger());
            assertEquals(List.of("hooked"), r.syncs().stream().map(SyncReport::name).toList());
            assertEquals(List.of("hooked-HOOK CREATE DONE"), lines(r.syncs().get(0)));

            RequestException replay = refused(() -> h.call("event", body, signedQuietly(body, ts)));
            assertEquals("BAD_SIGNATURE: this webhook was already received (a replay)",
                    replay.code() + ": " + replay.getMessage());
        }

        Map<String, String> signedQuietly(String body, long ts) {
            return InfisicalWebhooks.signed(body, ts, SIGNING_KEY);
        }

        static final String ROTATED_KEY = "webhook-signing-key-rotated-0123456789";

        /** A webhook to the hooked sync's folder, signed now with {@code key}: what the run said, or the refusal. */
        String hookSignedWith(String key) {
            h.clock.advance(Duration.ofSeconds(11));
            long ts = h.clock.instant().toEpochMilli();
            String body = body("proj-1", "/app", ts);
            try {
                return only(h.call("event", body, signed(body, ts, key)), "hooked").status().name();
            } catch (RequestException e) {
                return e.code();
            }
        }

        @Test
        void aKeyRotatedInOciVaultVerifiesAtOnceAndThePreviousVersionOnlyDuringTheGrace() {
            String keyId = h.seed("hooked-webhook-key", SIGNING_KEY, Map.of(), null);
            h.config(h.newConfig().sync("hooked", s -> s.infisicalSource(infisical.url(), "proj-1", "prod")
                    .secretPath("/app").auth("id", "s").webhookSigningKeySecret(keyId)
                    .keySchema("hooked-{{secretKey}}")));
            assertEquals("SUCCEEDED", hookSignedWith(SIGNING_KEY));
            // The operator stores the new key in OCI Vault; Infisical keeps signing with the old one for a while.
            h.f.vaults().updateSecret(com.oracle.bmc.vault.requests.UpdateSecretRequest.builder().secretId(keyId)
                    .updateSecretDetails(com.oracle.bmc.vault.model.UpdateSecretDetails.builder()
                            .secretContent(Base64SecretContentDetails.builder().content(Harness.b64(ROTATED_KEY))
                                    .build()).build()).build());
            h.settle();
            assertEquals("SUCCEEDED", hookSignedWith(SIGNING_KEY), "the cached CURRENT key, still in use");
            assertEquals("SUCCEEDED", hookSignedWith(ROTATED_KEY), "a refusal reads the key again at once");
            assertEquals("SUCCEEDED", hookSignedWith(SIGNING_KEY), "the PREVIOUS version verifies during the grace");
            h.clock.advance(Duration.ofMinutes(61));
            assertEquals("BAD_SIGNATURE", hookSignedWith(SIGNING_KEY), "not after the grace");
            assertEquals("SUCCEEDED", hookSignedWith(ROTATED_KEY));
        }

        @Test
        void badSignaturesAreRefusedAndNothingIsWritten() throws Exception {
            long ts = h.clock.instant().toEpochMilli();
            String body = body("proj-1", "/app", ts);
            h.f.emulator.calls().reset();
            assertEquals("BAD_SIGNATURE: x-infisical-signature is missing; webhooks are never run unsigned",
                    message(() -> h.call("event", body, Map.of())));
            assertEquals("BAD_SIGNATURE: the signature matches the signing key of no sync reading infisical project "
                    + "proj-1 environment prod path /app", message(() -> h.call("event", body,
                            signedQuietlyWith(body, ts, "wrong-key"))));
            String tampered = body.replace("\"projectName\":\"p\"", "\"projectName\":\"q\"");
            assertEquals("BAD_SIGNATURE: the signature matches the signing key of no sync reading infisical project "
                    + "proj-1 environment prod path /app", message(() -> h.call("event", tampered,
                            signedQuietly(body, ts))));
            long stale = ts - Duration.ofMinutes(6).toMillis();
            String old = body("proj-1", "/app", stale);
            assertEquals("BAD_SIGNATURE: the webhook's timestamp is outside the ±5 minute window",
                    message(() -> h.call("event", old, signedQuietly(old, stale))));
            assertEquals("BAD_SIGNATURE: the signed timestamp does not match the body's timestamp",
                    message(() -> h.call("event", body, signedQuietly(body, ts + 1))));
            assertEquals("BAD_SIGNATURE: x-infisical-signature must be t=<timestamp>;<hex HMAC-SHA256>",
                    message(() -> h.call("event", body, Map.of("x-infisical-signature", "v1=abc"))));
            String unsigned = body("proj-2", "/", ts);
            assertEquals("BAD_SIGNATURE: no sync reading infisical project proj-2 environment prod path / has a "
                    + "webhookSigningKey; webhooks are never run unsigned",
                    message(() -> h.call("event", unsigned, signedQuietly(unsigned, ts))));
            String nobody = body("proj-9", "/", ts);
            assertEquals("BAD_SIGNATURE: the signature matches the signing key of no sync reading any infisical "
                    + "project", message(() -> h.call("event", nobody, signedQuietlyWith(nobody, ts, "wrong-key"))));
            assertEquals(Map.of(), h.f.emulator.calls().snapshot(), "the vault saw nothing");
        }

        /**
         * Infisical sends the webhook of the folder that was written even when only a folder importing it is synced
         * (docs/ASSUMPTIONS.md, "Webhooks of importing folders"): signed with a sync's key, it is acknowledged and runs
         * nothing; the importer's own webhook, a few seconds later, runs the sync.
         */
        @Test
        void aVerifiedWebhookForAFolderNoSyncReadsRunsNothing() throws Exception {
            long ts = h.clock.instant().toEpochMilli();
            String shared = InfisicalWebhooks.body("proj-1", "/shared", ts).replace("\"environment\":\"prod\"",
                    "\"environment\":\"dev\"");
            h.f.emulator.calls().reset();
            RunReport r = h.call("event", shared, signed(shared, ts, SIGNING_KEY));
            assertEquals(Trigger.INFISICAL_WEBHOOK, r.trigger());
            assertEquals(List.of(), r.syncs());
            assertEquals(Map.of(), h.f.emulator.calls().snapshot(), "the vault saw nothing");
        }

        Map<String, String> signedQuietlyWith(String body, long ts, String key) {
            return InfisicalWebhooks.signed(body, ts, key);
        }

        @Test
        void aWebhookWithoutABodyTimestampIsRefusedAndOtherVerifiedEventsRunNothing() throws Exception {
            long ts = h.clock.instant().toEpochMilli();
            String noTimestamp = body("proj-1", "/app", ts).replace(",\"timestamp\":" + ts, "");
            assertEquals("BAD_SIGNATURE: the body has no timestamp; Infisical signs one into every webhook",
                    message(() -> h.call("event", noTimestamp, signed(noTimestamp, ts, SIGNING_KEY))));
            // A change-request event names its project by id and name only, with no environment or path.
            String changeRequest = "{\"event\":\"secrets.change-request.modified\",\"project\":{\"id\":\"proj-1\","
                    + "\"name\":\"p\"},\"timestamp\":" + ts + "}";
            h.f.emulator.calls().reset();
            RunReport r = h.call("event", changeRequest, signed(changeRequest, ts, SIGNING_KEY));
            assertEquals(List.of(), r.syncs());
            assertEquals(Map.of(), h.f.emulator.calls().snapshot());
        }

        @Test
        void throughTheGatewayTheConfigurationIsReadOnlyOnceTheSignatureVerified() throws Exception {
            String keyId = h.f.vaults().createSecret(com.oracle.bmc.vault.requests.CreateSecretRequest.builder()
                    .createSecretDetails(com.oracle.bmc.vault.model.CreateSecretDetails.builder()
                            .compartmentId(h.f.compartmentId()).vaultId(h.f.vaultId()).keyId(h.f.keyId())
                            .secretName("gateway-key").secretContent(Base64SecretContentDetails.builder()
                                    .content(Harness.b64(SIGNING_KEY)).build()).build()).build()).getSecret().getId();
            GatewayWebhook gateway = new GatewayWebhook(h.runner(), List.of(keyId), h.resolver::read,
                    new WebhookVerifier(h.clock));
            long ts = h.clock.instant().toEpochMilli();
            String body = body("proj-1", "/app", ts);
            h.configLoads.set(0);
            for (Map<String, String> headers : List.of(Map.<String, String>of(), signed(body, ts, "wrong-key"),
                    signed(body, ts + 1, SIGNING_KEY))) {
                RequestException e = refused(() -> gateway.handle("event", CallContext.local(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers::get)));
                assertEquals("401 BAD_SIGNATURE: the request is not a verified Infisical webhook", e.status() + " "
                        + e.code() + ": " + e.getMessage());
            }
            assertEquals(0, h.configLoads.get(), "refused before the configuration was read");
            String ping = body.replace("secrets.modified", "test");
            assertEquals("{\"syncs\":[]}", gateway.handle("event", CallContext.local(ping.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), signed(ping, ts, SIGNING_KEY)::get)).toString());
            assertEquals(0, h.configLoads.get(), "a verified ping needs no configuration either");
            // The sync reading proj-1 names its key inline, not as the secret that verified: it is not started, and
            // the verified webhook is acknowledged (a webhook no sync reads runs nothing).
            h.f.emulator.calls().reset();
            assertEquals("{\"syncs\":[]}", gateway.handle("event", CallContext.local(body.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), signed(body, ts, SIGNING_KEY)::get)).toString());
            assertEquals(1, h.configLoads.get());
            assertEquals(null, h.f.emulator.calls().snapshot().get("ListSecrets"), "no sync ran");
        }

        @Test
        void aTestPingIsVerifiedAndRunsNothing() throws Exception {
            long ts = h.clock.instant().toEpochMilli();
            String body = body("proj-1", "/app", ts).replace("secrets.modified", "test");
            RunReport r = h.call("event", body, signed(body, ts, SIGNING_KEY));
            assertEquals(List.of(), r.syncs());
        }
    }

    @Nested
    class SchedulesAndRetries {

        @Test
        void aScheduleRunsTheAutoSyncSyncsDeeply() {
            RunReport r = h.call("event", "{\"trigger\":\"schedule\",\"verify\":\"deep\"}", Map.of());
            assertEquals(Trigger.SCHEDULE, r.trigger());
            assertEquals(SyncStatus.SUCCEEDED, only(r, "auto").status());
            assertEquals(SyncStatus.SKIPPED, only(r, "manual").status());
            assertEquals(2, only(r, "auto").counts().create());
            assertEquals("INVALID_REQUEST: dryRun: unknown field (a schedule body takes sync, trigger, verify)",
                    message(() -> h.call("event", "{\"trigger\":\"schedule\",\"dryRun\":true}", Map.of())));
            assertEquals("INVALID_REQUEST: trigger: must be schedule",
                    message(() -> h.call("event", "{\"trigger\":\"cron\"}", Map.of())));
            assertEquals("INVALID_REQUEST: the body is not an OCI event, an Infisical webhook, a schedule "
                    + "({\"trigger\": \"schedule\"}) or a retry message ({\"retry\": {...}})",
                    message(() -> h.call("event", "{\"hello\":1}", Map.of())));
        }

        @Test
        void deferredWorkIsRetriedWithBackOffAndARetryRunsEvenAManualOnlySync() {
            h.call("sync", "{\"sync\":\"manual\"}", Map.of());
            String a = h.secret("manual-A").id();
            h.f.force(a, SecretState.UPDATING, 60, SecretState.ACTIVE);
            h.source(Map.of("A", "new", "B", "2"));
            SyncReport deferred = h.call("sync", "{\"sync\":\"manual\"}", Map.of()).syncs().get(0);
            assertEquals(SyncStatus.DEFERRED, deferred.status());
            assertEquals(1, deferred.retry().attempt());
            long wait = Duration.between(Instant.now(), Instant.parse(deferred.retry().notBefore())).toSeconds();
            assertTrue(wait >= 13 && wait <= 15, "first retry after 15 s: " + wait);
            assertEquals(1, h.requeuer.retries.size());

            h.f.emulator.clock().advance(Duration.ofSeconds(61));
            String retry = "{\"retry\":{\"sync\":\"manual\",\"attempt\":1,\"notBefore\":\"" + Instant.now() + "\"}}";
            RunReport r = h.call("event", retry, Map.of());
            assertEquals(Trigger.RETRY, r.trigger());
            assertEquals(List.of("manual-A UPDATE DONE"), lines(r.syncs().get(0)));
            assertEquals("new", h.value("manual-A"));
            assertEquals(1, h.requeuer.retries.size(), "nothing left to retry");
            assertEquals("UNKNOWN_SYNC: sync gone is not in the configuration (known: auto, manual, hooked, unsigned)",
                    message(() -> h.call("event", retry.replace("\"manual\"", "\"gone\""), Map.of())));
            assertEquals("INVALID_REQUEST: retry.attempt: must be a whole number from 0",
                    message(() -> h.call("event", retry.replace("\"attempt\":1", "\"attempt\":-1"), Map.of())));
        }

        @Test
        void retriesStopAfterEightAttempts() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            String a = h.secret("auto-A").id();
            h.f.force(a, SecretState.UPDATING, 3600, SecretState.ACTIVE);
            h.source(Map.of("A", "new", "B", "2"));
            String retry = "{\"retry\":{\"sync\":\"auto\",\"attempt\":8,\"notBefore\":\"" + Instant.now() + "\"}}";
            SyncReport last = h.call("event", retry, Map.of()).syncs().get(0);
            assertEquals(SyncStatus.DEFERRED, last.status());
            assertEquals(null, last.retry(), "the 9th attempt is not scheduled; the schedule takes over");
        }

        @Test
        void aRunOverManySyncsWithLittleTimeLeftHandsEachSyncToItsOwnInvocation() {
            h.handlers();
            RunRequest req = RunRequest.automatic(Trigger.SCHEDULE).withDeadline(Instant.now().plusSeconds(5));
            RunReport r = h.runner().run(h.config(), h.config().syncs(), req);
            assertEquals(List.of(SyncStatus.DEFERRED, SyncStatus.SKIPPED, SyncStatus.DEFERRED, SyncStatus.DEFERRED),
                    r.syncs().stream().map(SyncReport::status).toList());
            assertEquals("handed off to a detached invocation of its own: too little of this invocation's time was left",
                    only(r, "auto").error());
            Nudge handOff = h.requeuer.handOffs.get(0);
            assertEquals("{retry={sync=auto, attempt=0, notBefore=" + handOff.notBefore() + "}}",
                    handOff.toJson().toString(), "a nudge: nothing but the sync, the attempt and when");
            assertEquals(3, h.requeuer.handOffs.size());
            assertTrue(h.secrets().keySet().stream().noneMatch(n -> n.startsWith("auto-")), "nothing ran here");
        }
    }

    @Nested
    class ImportAndRemove {

        @Test
        void importBringsVaultSecretsIntoTheSourceAndAdoptsThem() {
            h.seed("auto-FROM_VAULT", "v", Map.of(), null);
            h.seed("unrelated", "x", Map.of(), null);
            RunReport plan = h.call("import", "{\"sync\":\"auto\",\"behavior\":\"prioritize-source\",\"dryRun\":true}",
                    Map.of());
            assertEquals(List.of("auto-FROM_VAULT IMPORT PLANNED"), lines(plan.syncs().get(0)));
            assertEquals(Map.of("A", "1", "B", "2"), h.sourceFile());
            RunReport r = h.call("import", "{\"sync\":\"auto\",\"behavior\":\"prioritize-source\"}", Map.of());
            assertEquals(List.of("auto-FROM_VAULT IMPORT DONE"), lines(r.syncs().get(0)));
            assertEquals(Map.of("A", "1", "B", "2", "FROM_VAULT", "v"), h.sourceFile());
            assertEquals("auto", h.tags("auto-FROM_VAULT").get("ovs_sync"));
            assertEquals("pending", h.tags("ovs-state-auto").get("ovs_initial"), "only a sync pass ends the initial run");
            SyncReport next = h.call("sync", "{\"sync\":\"auto\"}", Map.of()).syncs().get(0);
            assertEquals(List.of("auto-A CREATE DONE", "auto-B CREATE DONE"), lines(next));
            assertTrue(next.initial());
            assertEquals("done", h.tags("ovs-state-auto").get("ovs_initial"));
            assertEquals(List.of(), h.call("sync", "{\"sync\":\"auto\"}", Map.of()).syncs().get(0).results());
        }

        @Test
        void afterTheInitialRunAnImportLeavesUntaggedSecretsAlone() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            h.seed("auto-FROM_VAULT", "v", Map.of(), null);
            RunReport r = h.call("import", "{\"sync\":\"auto\",\"behavior\":\"prioritize-destination\"}", Map.of());
            assertEquals(List.of(), lines(r.syncs().get(0)));
            assertEquals(Map.of("A", "1", "B", "2"), h.sourceFile());
            assertEquals(Map.of(), h.tags("auto-FROM_VAULT"), "someone else's secret: not adopted");
        }

        @Test
        void importPrioritizeDestinationTakesTheVaultsValues() {
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            // The sync's status recorded, if its own pass could not (its new state secret still CREATING).
            h.call("event", "{\"trigger\":\"schedule\",\"sync\":\"auto\"}", Map.of());
            String a = h.secret("auto-A").id();
            h.settle(); // the run's own writes finish their transitions first
            h.f.vaults().updateSecret(UpdateSecretRequest.builder().secretId(a).updateSecretDetails(
                    UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                            .content(Harness.b64("vault wins")).build()).build()).build());
            RunReport r = h.call("import", "{\"sync\":\"auto\",\"behavior\":\"prioritize-destination\"}", Map.of());
            assertEquals(List.of("auto-A IMPORT DONE"), lines(r.syncs().get(0)));
            assertEquals("vault wins", h.sourceFile().get("A"));
            assertEquals(new OciCalls(2, 6, 2), r.syncs().get(0).ociCalls(), "a bundle read per owned secret and a "
                    + "write into the source; on OCI: the import recorded first (GetSecret, UpdateSecret), the vault "
                    + "listed again, its intent read again before its first write, the secret read before its value "
                    + "goes into the source, and the retag written over a fresh read");
            assertEquals("INVALID_REQUEST: behavior: must be prioritize-source or prioritize-destination",
                    message(() -> h.call("import", "{\"sync\":\"auto\",\"behavior\":\"both\"}", Map.of())));
            assertEquals("INVALID_REQUEST: behavior: is required",
                    message(() -> h.call("import", "{\"sync\":\"auto\"}", Map.of())));
        }

        @Test
        void removeDeletesEverySecretTheSyncOwnsEvenWithDeletionDisabled() {
            h.config(config().sync("auto", s -> s.disableSecretDeletion(true)));
            h.call("sync", "{\"sync\":\"auto\"}", Map.of());
            h.seed("auto-UNTAGGED", "x", Map.of(), null);
            RunReport r = h.call("remove", "{\"sync\":\"auto\"}", Map.of());
            assertEquals(List.of("auto-A DELETE DONE", "auto-B DELETE DONE"), lines(r.syncs().get(0)));
            assertEquals("PENDING_DELETION", h.state("auto-A"));
            assertEquals("ACTIVE", h.state("auto-UNTAGGED"), "only what the sync owns");
            assertEquals("INVALID_REQUEST: sync: is required", message(() -> h.call("remove", "{}", Map.of())));
            assertEquals("UNKNOWN_SYNC: sync nope is not in the configuration (known: auto, manual, hooked, unsigned)",
                    message(() -> h.call("remove", "{\"sync\":\"nope\"}", Map.of())));
        }
    }

    static String message(Runnable r) {
        RequestException e = refused(r);
        return e.code() + ": " + e.getMessage();
    }
}
