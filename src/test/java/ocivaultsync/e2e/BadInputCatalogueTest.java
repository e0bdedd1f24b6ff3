package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SecretResult;
import ocivaultsync.report.SyncReport;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.source.infisical.InfisicalTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONTRIBUTING.md, 'Run the tests': every bad input is a clear error and nothing is written. Each case names what it
 * sends and the exact answer; after each, the emulator must have seen no write. Every value in play is a canary, and
 * the last test checks that none of them reached a log line, a report, an exception message or an error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults());

    static final String KEY = "CANARY-webhook-key-0123456789abcdef";
    static final List<String> CANARIES = List.of("CANARY-value-1", "CANARY-value-2", "CANARY-client-secret",
            KEY, "CANARY-hidden-real-value", "CANARY-fp-key-0123456789abcdefghij", "CANARY-oversize",
            "CANARY-31-byte-key-0123456789ab");
    static final String VALID = """
            fingerprintKey: {value: CANARY-fp-key-0123456789abcdefghij}
            syncs:
              - name: app
                source: {type: file, path: SECRETS}
                destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                options: {keySchema: "app-{{secretKey}}"}
              - name: hooked
                source:
                  type: infisical
                  url: INFISICAL
                  projectId: proj-1
                  environment: prod
                  secretPath: /app
                  auth: {clientId: id, clientSecret: {value: CANARY-client-secret}}
                  webhookSigningKey: {value: %s}
                destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                options: {keySchema: "hooked-{{secretKey}}"}
              - name: unsigned
                source:
                  type: infisical
                  url: INFISICAL
                  projectId: proj-2
                  environment: prod
                  recursive: true
                  auth: {clientId: id, clientSecret: {value: CANARY-client-secret}}
                destination: {region: eu-frankfurt-1, compartmentId: COMPARTMENT, vaultId: VAULT, keyId: KEY}
                options: {keySchema: "unsigned-{{secretKey}}"}
            """.formatted(KEY);

    Path dir;
    Harness h;
    InfisicalTestServer infisical;
    CanaryWatch watch;
    int cases;

    @BeforeAll
    void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("ovs-catalogue");
        h = new Harness(EMULATOR.fixture(), dir);
        infisical = new InfisicalTestServer(h.clock).identity("id", "CANARY-client-secret");
        watch = new CanaryWatch();
    }

    @AfterAll
    void stop() {
        watch.close();
        infisical.close();
        h.close();
    }

    record Case(String name, Supplier<String> outcome, String expected) {
    }

    /**
     * Runs a call, answering "CODE: message" for a refusal, else a digest of the report; as the operator unless
     * {@code headers} name another caller.
     */
    String call(String function, String body, Map<String, String> headers) {
        return answer(() -> h.call(function, body, headers));
    }

    /** Runs a call whose {@code oci-subject-id} header arrives with exactly these values (none, one or several). */
    String callAs(String function, String body, List<String> subjects) {
        return answer(() -> h.callWith(function, body, name -> name.equals("oci-subject-id") ? subjects : List.of()));
    }

    String answer(Supplier<RunReport> run) {
        try {
            RunReport r = run.get();
            watch.saw("report", r);
            return digest(r);
        } catch (RequestException e) {
            watch.saw("error body", e.code() + " " + e.getMessage());
            return e.code() + ": " + e.getMessage();
        }
    }

    /** {@code status}, answering "CODE: message" for a refusal, else the names it answered for. */
    String status(String body) {
        try {
            ocivaultsync.report.StatusReport r = h.status(body);
            watch.saw("status", r);
            return "status of " + String.join(", ", r.syncs().stream().map(s -> s.name()).toList());
        } catch (RequestException e) {
            watch.saw("error body", e.code() + " " + e.getMessage());
            return e.code() + ": " + e.getMessage();
        }
    }

    static String digest(RunReport r) {
        List<String> parts = new ArrayList<>();
        for (SyncReport s : r.syncs()) {
            if (s.error() != null) {
                parts.add(s.name() + " " + s.status() + ": " + s.error());
            }
            for (SecretResult x : s.results()) {
                parts.add(x.name() + " " + x.action() + " " + x.status() + ": " + x.reason());
            }
        }
        return String.join(" | ", parts);
    }

    String config(String yaml, boolean allowInline) {
        h.configText(yaml, allowInline);
        try {
            return call("sync", "{\"sync\":\"app\"}", Map.of());
        } finally {
            h.configParsed();
        }
    }

    /** As {@link #config}, through the product's configuration holder and its checks against OCI. */
    String held(String yaml) {
        h.configThroughHolder(yaml);
        try {
            return call("sync", "{\"sync\":\"app\"}", Map.of());
        } finally {
            h.configParsed();
        }
    }

    /** A secret in the emulated vault, which the catalogue's syncs write to. */
    String inDestinationVault(String name, String value) {
        String id = h.seed(name, value, Map.of(), null);
        h.f.emulator.calls().reset();
        return id;
    }

    Map<String, String> signed(String body, long ts, String key) {
        return InfisicalWebhooks.signed(body, ts, key);
    }

    String webhook(String project, String path, long ts) {
        return InfisicalWebhooks.body(project, path, ts);
    }

    String source(Map<String, String> values) {
        h.source(values);
        return call("sync", "{\"sync\":\"app\"}", Map.of());
    }

    String ociEvent(String type, String resourceId) {
        return "{\"eventType\":\"" + type + "\",\"cloudEventsVersion\":\"0.1\",\"data\":{\"compartmentId\":\""
                + h.f.compartmentId() + "\",\"resourceId\":\"" + resourceId + "\"}}";
    }

    Stream<Case> catalogue() {
        String v = VALID.replace("SECRETS", dir.resolve("secrets.yaml").toString())
                .replace("COMPARTMENT", h.f.compartmentId()).replace("VAULT", h.f.vaultId())
                .replace("KEY", h.f.keyId()).replace("INFISICAL", infisical.url());
        long now = h.clock.instant().toEpochMilli();
        String hook = webhook("proj-1", "/app", now);
        List<Case> c = new ArrayList<>();
        // ---- configuration ----
        c.add(new Case("config without fingerprintKey", () -> config(v.replaceFirst("fingerprintKey: .*\n", ""), true),
                "INVALID_CONFIG: fingerprintKey: is required"));
        c.add(new Case("config with a bad sync name", () -> config(v.replace("name: app\n", "name: App_1\n"), true),
                "INVALID_CONFIG: syncs[0].name: must be a slug of lower-case letters, digits and single hyphens, at "
                        + "most 64 characters"));
        c.add(new Case("config with two syncs of one name", () -> config(v.replace("name: unsigned", "name: app"),
                true), "INVALID_CONFIG: syncs[2].name: duplicate sync name app (also syncs[0].name)"));
        c.add(new Case("config with a key OCID as vault", () -> config(v.replaceFirst("vaultId: [^,}]*",
                "vaultId: " + h.f.keyId()), true), "INVALID_CONFIG: syncs[0].destination.vaultId: must be a vault "
                        + "OCID (ocid1.vault.<realm>.<region>.<id>)"));
        c.add(new Case("config with {{secretKey}} twice", () -> config(v.replace("\"app-{{secretKey}}\"",
                "\"{{secretKey}}-{{secretKey}}\""), true), "INVALID_CONFIG: syncs[0].options.keySchema: must contain "
                        + "{{secretKey}} exactly once"));
        String everyName = " every secret of the destination vault fits: the sync would adopt, overwrite and delete "
                + "secrets it did not create; give it a literal part, such as \"app-{{secretKey}}\", or set "
                + "options.manageEverySecretInVault: true to manage every secret of the vault";
        c.add(new Case("config whose key schema has no literal part (issue 19, item 3)", () -> config(v.replace(
                "\"app-{{secretKey}}\"", "\"{{secretKey}}\""), true), "INVALID_CONFIG: syncs[0].options.keySchema: "
                        + "{{secretKey}} has no literal part, so" + everyName));
        c.add(new Case("config without a key schema", () -> config(v.replace(
                "    options: {keySchema: \"app-{{secretKey}}\"}\n", ""), true), "INVALID_CONFIG: "
                        + "syncs[0].options.keySchema: is not set, so the names are the source keys and" + everyName));
        c.add(new Case("config saying the whole vault beside a key schema with a literal part", () -> config(v.replace(
                "{keySchema: \"app-{{secretKey}}\"}", "{keySchema: \"app-{{secretKey}}\", manageEverySecretInVault: "
                        + "true}"), true), "INVALID_CONFIG: syncs[0].options.manageEverySecretInVault: must not be set "
                                + "with keySchema app-{{secretKey}}, which fits only the names it spells out; remove "
                                + "it, or the keySchema's literal part"));
        c.add(new Case("config with a 0-day deletion delay", () -> config(v.replace("{keySchema: \"app-{{secretKey}}\"}",
                "{keySchema: \"app-{{secretKey}}\", deletionDelayDays: 0}"), true), "INVALID_CONFIG: "
                        + "syncs[0].options.deletionDelayDays: must be between 1 and 30 (OCI's deletion window, in "
                        + "days)"));
        c.add(new Case("config with a misspelt option", () -> config(v.replace("{keySchema: \"app-{{secretKey}}\"}",
                "{keySchema: \"app-{{secretKey}}\", disableSecretDeletin: true}"), true), "INVALID_CONFIG: "
                        + "syncs[0].options.disableSecretDeletin: unknown field"));
        c.add(new Case("config with inline secrets in production", () -> config(v, false), "INVALID_CONFIG: "
                + "fingerprintKey: inline values are for local use only; reference an OCI Vault secret with "
                + "{secretId: ...} (local runs may set ovs.allow-inline-secrets=true); syncs[1].source.auth"
                + ".clientSecret: inline values are for local use only; reference an OCI Vault secret with "
                + "{secretId: ...} (local runs may set ovs.allow-inline-secrets=true); syncs[1].source"
                + ".webhookSigningKey: inline values are for local use only; reference an OCI Vault secret with "
                + "{secretId: ...} (local runs may set ovs.allow-inline-secrets=true); syncs[2].source.auth"
                + ".clientSecret: inline values are for local use only; reference an OCI Vault secret with "
                + "{secretId: ...} (local runs may set ovs.allow-inline-secrets=true)"));
        c.add(new Case("config: recursive source with an import behaviour", () -> config(v.replace(
                "{keySchema: \"unsigned-{{secretKey}}\"}", "{keySchema: \"unsigned-{{secretKey}}\", "
                        + "initialSyncBehavior: import-prioritize-source}"), true), "INVALID_CONFIG: syncs[2].options"
                                + ".initialSyncBehavior: import-prioritize-source imports into one source folder, so it "
                                + "cannot be used with source.recursive: true"));
        c.add(new Case("config that is not YAML, around a canary", () -> config("fingerprintKey: {value: "
                + "\"CANARY-value-1\nsyncs: [", true), "INVALID_CONFIG: configuration: not valid YAML at line 1, "
                        + "column 23"));
        c.add(new Case("config naming an Infisical host the operator did not list", () -> config(v.replaceFirst(
                "url: " + infisical.url(), "url: https://collector.evil.example"), true), "INVALID_CONFIG: "
                        + "syncs[1].source.url: the host collector.evil.example is not in ovs.infisical.allowed-hosts "
                        + "(127.0.0.1, localhost); the operator lists the Infisical hosts a configuration may name, "
                        + "outside the configuration"));
        c.add(new Case("config naming the metadata service as Infisical", () -> config(v.replaceFirst(
                "url: " + infisical.url(), "url: https://169.254.169.254"), true), "INVALID_CONFIG: "
                        + "syncs[1].source.url: the host 169.254.169.254 is an IP address outside "
                        + "ovs.infisical.allowed-hosts (127.0.0.1, localhost); an operator who runs Infisical there "
                        + "lists that address"));
        c.add(new Case("config with a webhook key shorter than 32 bytes", () -> config(v.replace(KEY,
                "CANARY-31-byte-key-0123456789ab"), true), "INVALID_CONFIG: syncs[1].source.webhookSigningKey.value: "
                        + "must be at least 32 bytes: a shorter key could be guessed from the answers to signed "
                        + "requests"));
        c.add(new Case("config whose client secret lives in a vault a sync writes to", () -> {
            String id = inDestinationVault("someone-elses-password", "CANARY-value-1");
            return held(v.replace("clientSecret: {value: CANARY-client-secret}", "clientSecret: {secretId: " + id
                    + "}"));
        }, "INVALID_CONFIG: syncs[1].source.auth.clientSecret: the secret OCID lives in vault VAULT, which sync app "
                + "writes to; keep the function's own secrets in a separate control vault, or set "
                + "ovs.allow-shared-vault=true to accept that a writer of that vault can change them and that the "
                + "configuration can make the function read that vault's secrets; syncs[2].source.auth.clientSecret: "
                + "the secret OCID lives in vault VAULT, which sync app writes to; keep the function's own secrets in "
                + "a separate control vault, or set ovs.allow-shared-vault=true to accept that a writer of that vault "
                + "can change them and that the configuration can make the function read that vault's secrets"));
        c.add(new Case("config whose fingerprint key lives in a vault a sync writes to", () -> {
            String id = inDestinationVault("a-managed-fingerprint-key", "CANARY-fp-key-0123456789abcdefghij");
            return held(v.replace("fingerprintKey: {value: CANARY-fp-key-0123456789abcdefghij}",
                    "fingerprintKey: {secretId: " + id + "}"));
        }, "INVALID_CONFIG: fingerprintKey: the secret OCID lives in vault VAULT, which sync app writes to; keep the "
                + "function's own secrets in a separate control vault, or set ovs.allow-shared-vault=true to accept "
                + "that a writer of that vault can change them and that the configuration can make the function read "
                + "that vault's secrets"));
        // ---- requests ----
        c.add(new Case("a body over 64 KB", () -> call("sync", "{\"sync\":\"app\",\"pad\":\""
                + "CANARY-oversize".repeat(4400) + "\"}", Map.of()), "INVALID_REQUEST: the body is over 65536 bytes "
                        + "(64 KB), more than any call takes; it was not read"));
        c.add(new Case("sync with a misspelt field", () -> call("sync", "{\"dryrun\":true}", Map.of()),
                "INVALID_REQUEST: dryrun: unknown field (sync takes dryRun, force, sync, verbose, verify)"));
        c.add(new Case("sync with a bad verify", () -> call("sync", "{\"verify\":\"thorough\"}", Map.of()),
                "INVALID_REQUEST: verify: must be fast or deep"));
        c.add(new Case("sync with dryRun as text", () -> call("sync", "{\"dryRun\":\"true\"}", Map.of()),
                "INVALID_REQUEST: dryRun: must be true or false"));
        c.add(new Case("sync naming a sync by number", () -> call("sync", "{\"sync\":7}", Map.of()),
                "INVALID_REQUEST: sync: must be a non-empty string"));
        c.add(new Case("sync with an array body", () -> call("sync", "[\"app\"]", Map.of()),
                "INVALID_REQUEST: the body must be a JSON object"));
        c.add(new Case("sync of an unknown sync", () -> call("sync", "{\"sync\":\"ghost\"}", Map.of()),
                "UNKNOWN_SYNC: sync ghost is not in the configuration (known: app, hooked, unsigned)"));
        c.add(new Case("plan with force", () -> call("plan", "{\"force\":true}", Map.of()),
                "INVALID_REQUEST: force: unknown field (plan takes sync, verbose, verify)"));
        c.add(new Case("import without a behaviour", () -> call("import", "{\"sync\":\"app\"}", Map.of()),
                "INVALID_REQUEST: behavior: is required"));
        c.add(new Case("import with a bad behaviour", () -> call("import", "{\"sync\":\"app\",\"behavior\":\"merge\"}",
                Map.of()), "INVALID_REQUEST: behavior: must be prioritize-source or prioritize-destination"));
        c.add(new Case("remove without a sync", () -> call("remove", "{}", Map.of()),
                "INVALID_REQUEST: sync: is required"));
        c.add(new Case("remove of an unknown sync", () -> call("remove", "{\"sync\":\"ghost\"}", Map.of()),
                "UNKNOWN_SYNC: sync ghost is not in the configuration (known: app, hooked, unsigned)"));
        // ---- callers (issue 19, item 1): who may change intent ----
        String operatorOnly = " is for the operators listed in ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS)";
        c.add(new Case("a remove from a principal the operator did not list", () -> call("remove",
                "{\"sync\":\"app\"}", Map.of("oci-subject-id", "ocid1.user.oc1..someoneelse")),
                "NOT_AUTHORIZED: remove" + operatorOnly + ", and the caller ocid1.user.oc1..someoneelse is not one of "
                        + "them"));
        c.add(new Case("a forced sync from a resource schedule", () -> call("sync", "{\"sync\":\"app\",\"force\":true}",
                Map.of("oci-subject-id", "ocid1.resourceschedule.oc1.eu-frankfurt-1.aaaa")), "NOT_AUTHORIZED: sync"
                        + operatorOnly + ", and the caller ocid1.resourceschedule.oc1.eu-frankfurt-1.aaaa is not one "
                        + "of them"));
        c.add(new Case("a plan from a caller OCI named no one (it would show names)", () -> callAs("plan", "{}",
                List.of()), "NOT_AUTHORIZED: plan" + operatorOnly + ", and the call carries no oci-subject-id header "
                        + "(the caller OCI Functions names)"));
        c.add(new Case("an import whose caller is named twice", () -> callAs("import",
                "{\"sync\":\"app\",\"behavior\":\"prioritize-source\"}", List.of(Harness.OPERATOR,
                        "ocid1.user.oc1..someoneelse")), "NOT_AUTHORIZED: import" + operatorOnly + ", and the call "
                                + "carries the oci-subject-id header 2 times; a caller named more than once is not "
                                + "known"));
        c.add(new Case("a sync whose caller header is empty", () -> callAs("sync", "{}", List.of(" ")),
                "NOT_AUTHORIZED: sync" + operatorOnly + ", and the call's oci-subject-id header is empty"));
        c.add(new Case("a caller header that is not an OCID, around a canary", () -> call("remove",
                "{\"sync\":\"app\"}", Map.of("oci-subject-id", "CANARY-value-1")), "NOT_AUTHORIZED: remove"
                        + operatorOnly + ", and the caller is not one of them"));
        c.add(new Case("a remove when the operator lists no one", () -> {
            h.operators(List.of());
            try {
                return call("remove", "{\"sync\":\"app\"}", Map.of());
            } finally {
                h.operators(List.of(Harness.OPERATOR));
            }
        }, "NOT_AUTHORIZED: remove is for operators, and ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS) "
                + "lists none; the operator sets it to the OCIDs of the users who may call sync, plan, import and "
                + "remove"));
        c.add(new Case("status with a field it does not take", () -> status("{\"verbose\":true}"),
                "INVALID_REQUEST: verbose: unknown field (status takes sync)"));
        c.add(new Case("status naming a sync by number", () -> status("{\"sync\":7}"),
                "INVALID_REQUEST: sync: must be a non-empty string"));
        c.add(new Case("status with an array body", () -> status("[\"app\"]"),
                "INVALID_REQUEST: the body must be a JSON object"));
        c.add(new Case("status of an unknown sync", () -> status("{\"sync\":\"ghost\"}"),
                "UNKNOWN_SYNC: sync ghost is not in the configuration (known: app, hooked, unsigned)"));
        // ---- events ----
        c.add(new Case("an event body of no known kind", () -> call("event", "{\"ping\":true}", Map.of()),
                "INVALID_REQUEST: the body is not an OCI event, an Infisical webhook, a schedule ({\"trigger\": "
                        + "\"schedule\"}) or a retry message ({\"retry\": {...}})"));
        c.add(new Case("an OCI event of another service", () -> call("event",
                ociEvent("com.oraclecloud.computeapi.launchinstance", "x"), Map.of()),
                "INVALID_REQUEST: unsupported OCI event type com.oraclecloud.computeapi.launchinstance; only "
                        + "com.oraclecloud.vaultsecret.* events are handled"));
        c.add(new Case("an OCI event naming no secret", () -> call("event",
                ociEvent("com.oraclecloud.vaultsecret.updatesecret", ""), Map.of()),
                "INVALID_REQUEST: data.resourceId: the OCI event names no secret"));
        c.add(new Case("an OCI event asking for force", () -> call("event", ociEvent(
                "com.oraclecloud.vaultsecret.updatesecret", "ocid1.vaultsecret.oc1.eu-frankfurt-1.x")
                .replace("{\"eventType\"", "{\"force\":true,\"eventType\""), Map.of()), "INVALID_REQUEST: force: an "
                        + "OCI event cannot name a function, an operation, force or a behaviour; it only starts a pass "
                        + "toward the intent recorded in OCI"));
        c.add(new Case("an OCI event naming a function", () -> call("event", ociEvent(
                "com.oraclecloud.vaultsecret.updatesecret", "ocid1.vaultsecret.oc1.eu-frankfurt-1.x")
                .replace("{\"eventType\"", "{\"function\":\"remove\",\"eventType\""), Map.of()),
                "INVALID_REQUEST: function: an OCI event cannot name a function, an operation, force or a behaviour; "
                        + "it only starts a pass toward the intent recorded in OCI"));
        c.add(new Case("a webhook naming an operation", () -> call("event", hook.replace("{\"event\"",
                "{\"operation\":\"remove\",\"event\""), signed(hook.replace("{\"event\"",
                        "{\"operation\":\"remove\",\"event\""), now, KEY)), "INVALID_REQUEST: operation: an "
                                + "Infisical webhook cannot name a function, an operation, force or a behaviour; it "
                                + "only starts a pass toward the intent recorded in OCI"));
        c.add(new Case("a schedule with an unknown field", () -> call("event",
                "{\"trigger\":\"schedule\",\"dryRun\":true}", Map.of()),
                "INVALID_REQUEST: dryRun: unknown field (a schedule body takes sync, trigger, verify)"));
        c.add(new Case("a schedule asking for a forced pass", () -> call("event",
                "{\"trigger\":\"schedule\",\"force\":true}", Map.of()),
                "INVALID_REQUEST: force: unknown field (a schedule body takes sync, trigger, verify)"));
        c.add(new Case("a retry naming an operation (a forged nudge asking for a remove)", () -> call("event",
                "{\"retry\":{\"sync\":\"app\",\"operation\":\"remove\",\"attempt\":1,\"notBefore\":\""
                        + Instant.now() + "\"}}", Map.of()),
                "INVALID_REQUEST: operation: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"));
        c.add(new Case("a retry asking for force", () -> call("event",
                "{\"retry\":{\"sync\":\"app\",\"force\":true,\"attempt\":1,\"notBefore\":\""
                        + Instant.now() + "\"}}", Map.of()),
                "INVALID_REQUEST: force: unknown field (retry takes attempt, deepSecretIds, notBefore, sync)"));
        c.add(new Case("a trigger that is not a schedule", () -> call("event", "{\"trigger\":\"cron\"}", Map.of()),
                "INVALID_REQUEST: trigger: must be schedule"));
        c.add(new Case("a retry of attempt -1", () -> call("event", "{\"retry\":{\"sync\":\"app\",\"attempt\":-1,"
                + "\"notBefore\":\"" + Instant.now() + "\"}}", Map.of()),
                "INVALID_REQUEST: retry.attempt: must be a whole number from 0"));
        c.add(new Case("a retry with a bad time", () -> call("event", "{\"retry\":{\"sync\":\"app\",\"attempt\":1,"
                + "\"notBefore\":\"tomorrow\"}}", Map.of()),
                "INVALID_REQUEST: retry.notBefore: must be an ISO-8601 instant"));
        c.add(new Case("a retry of an unknown sync", () -> call("event", "{\"retry\":{\"sync\":\"ghost\",\"attempt\":1,"
                + "\"notBefore\":\"" + Instant.now() + "\"}}", Map.of()),
                "UNKNOWN_SYNC: sync ghost is not in the configuration (known: app, hooked, unsigned)"));
        // ---- webhooks ----
        c.add(new Case("a webhook without a signature", () -> call("event", hook, Map.of()),
                "BAD_SIGNATURE: x-infisical-signature is missing; webhooks are never run unsigned"));
        c.add(new Case("a webhook with a malformed signature", () -> call("event", hook,
                Map.of("x-infisical-signature", "sha256=deadbeef")),
                "BAD_SIGNATURE: x-infisical-signature must be t=<timestamp>;<hex HMAC-SHA256>"));
        c.add(new Case("a webhook signed with another key", () -> call("event", hook, signed(hook, now,
                "CANARY-value-2")), "BAD_SIGNATURE: the signature matches the signing key of no sync reading "
                        + "infisical project proj-1 environment prod path /app"));
        c.add(new Case("a webhook whose body was altered", () -> call("event",
                hook.replace("\"projectName\":\"p\"", "\"projectName\":\"q\""), signed(hook, now, KEY)),
                "BAD_SIGNATURE: the signature matches the signing key of no sync reading infisical project proj-1 "
                        + "environment prod path /app"));
        long stale = now - Duration.ofMinutes(6).toMillis();
        c.add(new Case("a stale webhook", () -> call("event", webhook("proj-1", "/app", stale),
                signed(webhook("proj-1", "/app", stale), stale, KEY)),
                "BAD_SIGNATURE: the webhook's timestamp is outside the ±5 minute window"));
        c.add(new Case("a webhook whose signed time is not the body's", () -> call("event", hook,
                signed(hook, now - 1000, KEY)),
                "BAD_SIGNATURE: the signed timestamp does not match the body's timestamp"));
        c.add(new Case("a replayed webhook", () -> {
            String ping = webhook("proj-1", "/app", now).replace("secrets.modified", "test");
            call("event", ping, signed(ping, now, KEY));
            return call("event", ping, signed(ping, now, KEY));
        }, "BAD_SIGNATURE: this webhook was already received (a replay)"));
        c.add(new Case("a webhook whose sync's key in OCI Vault is shorter than 32 bytes", () -> {
            String id = inDestinationVault("short-webhook-key", "CANARY-31-byte-key-0123456789ab");
            h.configText(v.replace("webhookSigningKey: {value: " + KEY + "}", "webhookSigningKey: {secretId: " + id
                    + "}"), true);
            try {
                return call("event", hook, signed(hook, now, "CANARY-31-byte-key-0123456789ab"));
            } finally {
                h.configParsed();
            }
        }, "INVALID_CONFIG: the webhookSigningKey of sync hooked holds a key shorter than 32 bytes, which verifies "
                + "nothing; store a key of at least 32 bytes in OCI Vault and in Infisical"));
        c.add(new Case("a webhook for a sync without a signing key", () -> call("event",
                webhook("proj-2", "/", now), signed(webhook("proj-2", "/", now), now, KEY)),
                "BAD_SIGNATURE: no sync reading infisical project proj-2 environment prod path / has a "
                        + "webhookSigningKey; webhooks are never run unsigned"));
        c.add(new Case("a webhook for a project nobody syncs, signed with no sync's key", () -> call("event",
                webhook("proj-9", "/", now), signed(webhook("proj-9", "/", now), now, "not-a-sync-key")),
                "BAD_SIGNATURE: the signature matches the signing key of no sync reading any infisical project"));
        // ---- names, sizes, values ----
        c.add(new Case("a key that is no OCI name", () -> source(Map.of("bad key", "CANARY-value-1")),
                "app-bad key CREATE FAILED: the name is not a valid OCI secret name: an OCI secret name may only "
                        + "contain letters, digits, '-', '_' and '.'"));
        c.add(new Case("a name longer than 255", () -> source(Map.of("K".repeat(252), "CANARY-value-1")),
                "app-" + "K".repeat(252) + " CREATE FAILED: the name is not a valid OCI secret name: an OCI secret "
                        + "name has at most 255 characters (this one has 256)"));
        c.add(new Case("a value over 25 KB", () -> source(Map.of("BIG", "CANARY-oversize" + "x".repeat(25_600))),
                "app-BIG CREATE FAILED: the value is larger than OCI Vault allows: 25615 bytes; OCI Vault stores at "
                        + "most 25600"));
        c.add(new Case("an empty value", () -> source(Map.of("EMPTY", "")),
                "app-EMPTY CREATE SKIPPED: the source value is empty and OCI Vault cannot store an empty secret"));
        c.add(new Case("a name held by another sync's secret", () -> {
            h.seed("app-TAKEN", "CANARY-value-2", Map.of("ovs_sync", "other"), null);
            h.f.emulator.calls().reset();
            return source(Map.of("TAKEN", "CANARY-value-1"));
        }, "app-TAKEN UPDATE FAILED: name held by a secret this sync does not own: it belongs to sync other"));
        c.add(new Case("values the identity may not read in Infisical", () -> {
            infisical.put("proj-1", "prod", "/app", "A", "CANARY-value-1").denyValues("proj-1", "prod", "/app");
            return call("sync", "{\"sync\":\"hooked\"}", Map.of());
        }, "hooked FAILED: source: infisical answered HTTP 403 when listing the secrets of project proj-1 environment "
                + "prod path /app (You are not allowed to read secret values in environment prod path /app); the "
                + "machine identity lacks permission on this environment and path"));
        c.add(new Case("placeholders instead of values from an older Infisical", () -> {
            infisical.sendsPlaceholders().put("proj-1", "prod", "/app", "A", "CANARY-hidden-real-value")
                    .denyValues("proj-1", "prod", "/app");
            return call("sync", "{\"sync\":\"hooked\"}", Map.of());
        }, "hooked FAILED: source: infisical returned 1 hidden value(s) for project proj-1 environment prod path /app; "
                + "nothing is synced from placeholders: give the machine identity read access to secret values"));
        c.add(new Case("one key in two folders of a recursive source", () -> {
            infisical.put("proj-2", "prod", "/a", "DUP", "CANARY-value-1").put("proj-2", "prod", "/b", "DUP",
                    "CANARY-value-2");
            return call("sync", "{\"sync\":\"unsigned\"}", Map.of());
        }, "unsigned-DUP CREATE FAILED: several source secrets map to this name: DUP from /a, DUP from /b"
                + " | unsigned-DUP CREATE FAILED: several source secrets map to this name: DUP from /a, DUP from /b"));
        return c.stream();
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyBadInputIsAClearErrorAndNothingIsWritten() {
        String v = VALID.replace("SECRETS", dir.resolve("secrets.yaml").toString())
                .replace("COMPARTMENT", h.f.compartmentId()).replace("VAULT", h.f.vaultId())
                .replace("KEY", h.f.keyId()).replace("INFISICAL", infisical.url());
        h.raw(v, infisical.url());
        return catalogue().map(c -> dynamicTest(c.name(), () -> {
            cases++;
            h.source(Map.of());
            h.f.emulator.calls().reset();
            List<Map<String, Object>> before = syncsSecrets();
            assertEquals(c.expected(), c.outcome().get().replaceAll("ocid1\\.vaultsecret\\.[a-z0-9.-]+", "OCID")
                    .replace(h.f.vaultId(), "VAULT"));
            if (c.expected().startsWith("NOT_AUTHORIZED")) {
                assertEquals(Map.of(), h.f.emulator.calls().snapshot(), "a caller refused costs no OCI call: nothing "
                        + "is read, not even the state secret is written");
            }
            Map<String, Long> writes = new LinkedHashMap<>(h.f.emulator.calls().snapshot());
            writes.keySet().retainAll(List.of("CreateSecret", "UpdateSecret", "ScheduleSecretDeletion",
                    "CancelSecretDeletion"));
            List<Object> ids = before.stream().map(s -> s.get("id")).toList();
            assertEquals(before, syncsSecrets().stream().filter(s -> ids.contains(s.get("id"))).toList(),
                    "no secret was written");
            assertEquals(List.of(), syncsSecrets().stream().filter(s -> !ids.contains(s.get("id")))
                    .map(s -> ((Map<?, ?>) s.get("freeformTags")).get("ovs_sync"))
                    .filter(owner -> owner != null && List.of("app", "hooked", "unsigned").contains(owner)).toList(),
                    "no secret created: writes " + writes + " went to the state secret only");
        }));
    }

    /**
     * Every secret but the syncs' state secrets, as the emulator holds it (values and versions included): a manual
     * operation records itself there before it reads anything (docs/ARCHITECTURE.md, "State kept in OCI"), nothing
     * else.
     */
    List<Map<String, Object>> syncsSecrets() {
        return h.f.emulator.vault().snapshot().stream()
                .filter(s -> !String.valueOf(s.get("name")).startsWith("ovs-state-")).toList();
    }

    @Test
    @Order(2)
    void thereAreAtLeastFortyBadInputs() {
        assertTrue(catalogue().count() >= 40, "catalogue size " + catalogue().count());
    }

    @Test
    @Order(3)
    void noCanaryReachedALogAReportOrAnErrorMessage() {
        assertTrue(cases >= 40, "runs after the catalogue");
        assertTrue(watch.size() > 40, "the watch saw the runs' output");
        assertEquals(List.of(), watch.leaks(CANARIES));
    }
}
