package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import ocivaultsync.apply.Executor;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.function.SyncRequests;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;
import org.jboss.logging.Logger;

/**
 * The {@code event} function: tells apart an OCI Events envelope, an Infisical webhook, a schedule body and a retry
 * message, decides which syncs the event concerns, and runs them. Only syncs with auto-sync on run for events and
 * schedules (F5); anything unrecognised is a 400, and nothing runs.
 */
public final class EventHandler {

    private static final Logger LOG = Logger.getLogger(EventHandler.class);

    public static final String SECRET_EVENT_PREFIX = "com.oraclecloud.vaultsecret.";

    private final SyncRunner runner;
    private final ConfigControl configHolder;
    private final Consumer<String> forgetSecret;
    private final Function<SecretRef, String> secrets;
    private final WebhookVerifier webhooks;
    private final Clock clock;
    private final Executor.Sleeper sleeper;

    public EventHandler(SyncRunner runner, ConfigControl configHolder, Consumer<String> forgetSecret,
            Function<SecretRef, String> secrets, WebhookVerifier webhooks, Clock clock, Executor.Sleeper sleeper) {
        this.runner = runner;
        this.configHolder = configHolder;
        this.forgetSecret = forgetSecret;
        this.secrets = secrets;
        this.webhooks = webhooks;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public RunReport handle(JsonNode body, CallContext ctx, RunRequest base) {
        if (ctx.viaGateway()) {
            // The gateway is the internet: its calls go to GatewayWebhook and never reach the checks below, whose
            // refusals differ from the uniform one.
            throw GatewayWebhook.refusal();
        }
        if (body == null || !body.isObject()) {
            throw RequestException.invalid("the event body must be a JSON object");
        }
        if (body.has("cloudEventsVersion") || body.has("eventType")) {
            return ociEvent(body, base);
        }
        if (body.has("event")) {
            return webhook(body, ctx, base);
        }
        if (body.has("retry")) {
            return retry(body, base);
        }
        if (body.has("trigger")) {
            return schedule(body, base);
        }
        throw RequestException.invalid("the body is not an OCI event, an Infisical webhook, a schedule "
                + "({\"trigger\": \"schedule\"}) or a retry message ({\"retry\": {...}})");
    }

    // ---- OCI Events (CloudEvents 0.1 envelope) ----

    private RunReport ociEvent(JsonNode body, RunRequest base) {
        String type = body.path("eventType").asText("");
        if (!type.startsWith(SECRET_EVENT_PREFIX)) {
            throw RequestException.invalid("unsupported OCI event type " + type + "; only "
                    + SECRET_EVENT_PREFIX + "* events are handled");
        }
        JsonNode data = body.path("data");
        String secretId = data.path("resourceId").asText("");
        if (secretId.isEmpty()) {
            throw RequestException.invalid("data.resourceId: the OCI event names no secret");
        }
        if (type.endsWith(".begin")) {
            // Oracle does not list the vault secret event types; KMS names its own with .begin/.end, so the rule
            // matches both spellings. A .begin comes before the change is done (the secret may still be UPDATING):
            // its .end, or the plain event, is the one to run for.
            LOG.infof("event %s on %s: the change is not done yet; its .end runs the sync", type, secretId);
            return runner.run(runner.config(), List.of(), base.withTrigger(Trigger.OCI_EVENT));
        }
        String compartment = data.path("compartmentId").asText(body.path("extensions").path("compartmentId")
                .asText(""));
        RunRequest req = base.withTrigger(Trigger.OCI_EVENT);
        if (configHolder.isConfigSecret(secretId)) {
            configHolder.invalidate();
            SyncConfig cfg = runner.config();
            return runner.run(cfg, cfg.syncs(), req);
        }
        SyncConfig cfg = runner.config();
        if (cfg.referencedSecretIds().contains(secretId)) {
            // A key or credential the product uses changed (a rotation): read it again and re-check everything.
            forgetSecret.accept(secretId);
            runner.forgetFingerprintKeys();
            return runner.run(cfg, cfg.syncs(), req);
        }
        Instant eventTime = eventTime(body);
        if (runner.isOwnWrite(secretId, eventTime)) {
            LOG.infof("event %s on %s follows this function's own write of it; nothing to run", type, secretId);
            return runner.run(cfg, List.of(), req);
        }
        // The envelope carries the secret's tags: when it names its owner, only that sync need look.
        String owner = data.path("freeformTags").path(ocivaultsync.reconcile.OwnershipTags.SYNC).asText("");
        List<SyncDefinition> concerned = cfg.syncs().stream()
                .filter(s -> compartment.isEmpty() || s.destination().compartmentId().equals(compartment))
                .filter(s -> owner.isEmpty() || s.name().equals(owner)).toList();
        Map<String, Set<String>> deep = new java.util.HashMap<>();
        concerned.forEach(s -> deep.put(s.name(), Set.of(secretId)));
        return runner.run(cfg, concerned, req.withDeepSecretIds(deep));
    }

    private Instant eventTime(JsonNode body) {
        try {
            return OffsetDateTime.parse(body.path("eventTime").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }

    // ---- Infisical webhooks ----

    /**
     * An Infisical webhook from an IAM-authenticated caller (a local run, or a test): verified against the signing keys
     * of the configuration's syncs. Events other than {@code secrets.modified} (test pings, rotation failures, change
     * and access requests, some without a project path) are verified against every sync's key and run nothing.
     */
    private RunReport webhook(JsonNode body, CallContext ctx, RunRequest base) {
        JsonNode project = body.path("project");
        boolean modified = GatewayWebhook.MODIFIED.equals(body.path("event").asText());
        if (modified && !project.isObject()) {
            throw RequestException.invalid("project: the webhook names no project");
        }
        String projectId = project.path("projectId").asText(project.path("workspaceId").asText(""));
        String environment = project.path("environment").asText("");
        String path = project.path("secretPath").asText("/");
        SyncConfig cfg = runner.config();
        List<SyncDefinition> candidates = cfg.syncs().stream().filter(s -> s.source() instanceof InfisicalSourceConfig i
                && (!modified || i.projectId().equals(projectId) && i.environment().equals(environment)
                        && pathMatches(i, path))).toList();
        String where = modified ? "infisical project " + projectId + " environment " + environment + " path " + path
                : "any infisical project";
        if (candidates.isEmpty()) {
            throw new RequestException("UNKNOWN_SYNC", "no sync reads " + where);
        }
        List<SyncDefinition> signed = candidates.stream()
                .filter(s -> ((InfisicalSourceConfig) s.source()).webhookSigningKey().isPresent()).toList();
        if (signed.isEmpty()) {
            throw new RequestException("BAD_SIGNATURE", "no sync reading " + where + " has a webhookSigningKey; "
                    + "webhooks are never run unsigned");
        }
        Long bodyTimestamp = body.path("timestamp").isIntegralNumber() ? body.get("timestamp").asLong() : null;
        WebhookVerifier.Signature sig = webhooks.parse(ctx.header().apply("x-infisical-signature"), bodyTimestamp);
        List<SyncDefinition> verified = new ArrayList<>();
        for (SyncDefinition s : signed) {
            String key = secrets.apply(((InfisicalSourceConfig) s.source()).webhookSigningKey().get());
            if (WebhookVerifier.matches(sig, ctx.rawBody(), key)) {
                verified.add(s);
            }
        }
        if (verified.isEmpty()) {
            throw new RequestException("BAD_SIGNATURE", "the signature matches the signing key of no sync reading "
                    + where);
        }
        webhooks.accept(sig);
        RunRequest req = base.withTrigger(Trigger.INFISICAL_WEBHOOK);
        if (!modified) {
            return runner.run(cfg, List.of(), req); // a test ping or another event: verified, nothing to sync
        }
        return runner.run(cfg, verified, req);
    }

    /** The webhook's folder is the sync's, or one below it when the sync is recursive. */
    public static boolean pathMatches(InfisicalSourceConfig s, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals(s.secretPath())) {
            return true;
        }
        return s.recursive() && (s.secretPath().equals("/") || p.startsWith(s.secretPath() + "/"));
    }

    // ---- schedules and retries ----

    private RunReport schedule(JsonNode body, RunRequest base) {
        strict(body, Set.of("trigger", "sync", "verify", "force", "verbose"), "a schedule body");
        if (!"schedule".equals(body.path("trigger").asText())) {
            throw RequestException.invalid("trigger: must be schedule");
        }
        RunRequest parsed = SyncRequests.parse(without(body, "trigger"), false);
        RunRequest req = base.withTrigger(Trigger.SCHEDULE).withVerify(parsed.verify()).withForce(parsed.force())
                .withVerbose(parsed.verbose());
        SyncConfig cfg = runner.config();
        List<SyncDefinition> which = parsed.sync().isPresent() ? List.of(SyncRunner.find(cfg, parsed.sync().get()))
                : cfg.syncs();
        return runner.run(cfg, which, req);
    }

    private RunReport retry(JsonNode body, RunRequest base) {
        strict(body, Set.of("retry"), "a retry message");
        RetryMessage m;
        try {
            m = RetryMessage.parse(body.get("retry"));
        } catch (IllegalArgumentException e) {
            throw RequestException.invalid(e.getMessage());
        }
        SyncConfig cfg = runner.config();
        SyncDefinition def = SyncRunner.find(cfg, m.sync());
        waitUntil(m.notBefore(), base.deadline().orElse(clock.instant().plus(Duration.ofMinutes(5))));
        // The run continues the work that deferred: same operation, options and origin.
        return runner.run(cfg, List.of(def), base.withTrigger(Trigger.RETRY).withOrigin(m.origin())
                .withRetryAttempt(m.attempt()).withOperation(m.operation()).withVerify(m.verify())
                .withForce(m.force()).withVerbose(m.verbose())
                .withDeepSecretIds(m.deepSecretIds().isEmpty() ? Map.of() : Map.of(m.sync(), m.deepSecretIds())));
    }

    /** Waits until {@code notBefore}, but leaves at least a third of the time to the deadline for the run itself. */
    private void waitUntil(Instant notBefore, Instant deadline) {
        Instant now = clock.instant();
        Instant latest = now.plus(Duration.between(now, deadline).multipliedBy(2).dividedBy(3));
        Instant until = notBefore.isBefore(latest) ? notBefore : latest;
        Duration wait = Duration.between(now, until);
        if (!wait.isNegative() && !wait.isZero()) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void strict(JsonNode node, Set<String> allowed, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw RequestException.invalid(f + ": unknown field in " + what);
            }
        }
    }

    private static JsonNode without(JsonNode body, String field) {
        var copy = body.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(field);
        return copy;
    }
}
