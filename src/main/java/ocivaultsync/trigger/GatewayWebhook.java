package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;
import org.jboss.logging.Logger;

/**
 * A call through API Gateway: the internet. It can only ever be an Infisical webhook, so nothing else is even looked
 * for: no OCI event, schedule, retry or function name is parsed from it.
 *
 * <p>The order is what makes it cheap to refuse: the signature header, then the body's shape are checked first (no OCI
 * call, no configuration), then the signature against the candidate keys, which come from a setting
 * ({@code ovs.webhook-key-secret-ids}, the OCIDs of the signing-key secrets) and not from the sync configuration, so
 * the configuration is read only for a webhook that verified. Every refusal, whatever its reason, answers the same
 * status and body, so a caller learns nothing about projects, paths or keys; the reason goes to the log. A failure
 * after a key verified (the configuration cannot be loaded, a run throws) answers a bare 500 {@code INTERNAL}: the
 * caller proved who they are, and a 401 would tell them their key is wrong. A verified webhook answers only the
 * run's id and each sync's status; the full report goes to the log (see docs/ARCHITECTURE.md, "Triggers: how each one
 * reaches the function").
 */
public final class GatewayWebhook {

    private static final Logger LOG = Logger.getLogger(GatewayWebhook.class);
    static final int REFUSAL_STATUS = 401;
    static final String REFUSAL_MESSAGE = "the request is not a verified Infisical webhook";
    static final int INTERNAL_STATUS = 500;
    static final String INTERNAL_MESSAGE = "internal error";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A refusal with its reason, for the log only. */
    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final SyncRunner runner;
    private final List<String> keySecretIds;
    private final SigningKeys keys;
    private final WebhookVerifier verifier;

    public GatewayWebhook(SyncRunner runner, List<String> keySecretIds, Function<String, String> readSecret,
            WebhookVerifier verifier) {
        this(runner, keySecretIds, SigningKeys.current(readSecret, Duration.ofMinutes(5), Clock.systemUTC()),
                verifier);
    }

    /**
     * @param keySecretIds the OCIDs of the secrets holding the webhook signing keys; empty refuses every call
     * @param keys         reads those keys (CURRENT and, during a rotation, PREVIOUS), for a bounded time
     */
    public GatewayWebhook(SyncRunner runner, List<String> keySecretIds, SigningKeys keys, WebhookVerifier verifier) {
        this.runner = runner;
        this.keySecretIds = List.copyOf(keySecretIds);
        this.keys = keys;
        this.verifier = verifier;
        if (this.keySecretIds.isEmpty()) {
            LOG.info("ovs.webhook-key-secret-ids is not set: calls through API Gateway are all refused");
        }
    }

    /** The one answer to every refusal, whatever its reason. */
    static RequestException refusal() {
        return new RequestException(REFUSAL_STATUS, "BAD_SIGNATURE", REFUSAL_MESSAGE);
    }

    /**
     * @param function the last segment of the gateway's URL: only {@code event} leads anywhere
     * @return the acknowledgement: {@code {"runId": ..., "syncs": [{"status": ...}]}}, or {@code {"syncs": []}} for a
     *         verified event that runs nothing
     * @throws RequestException the uniform refusal, or the bare 500 {@code INTERNAL} for a failure after a key verified
     */
    public JsonNode handle(String function, CallContext ctx) {
        Verified verified;
        try {
            verified = verify(function, ctx);
        } catch (RuntimeException e) {
            throw refused(e);
        }
        try {
            return run(verified, ctx);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /** Logs why a call is refused and answers the uniform refusal, whatever the reason. */
    private static RequestException refused(RuntimeException e) {
        if (e instanceof Refused) {
            LOG.warnf("API Gateway call refused: %s", e.getMessage());
        } else if (e instanceof RequestException re) {
            LOG.warnf("API Gateway call refused: %s: %s", re.code(), re.getMessage());
        } else {
            // Nothing verified yet: a 500 here would tell a prober something a 401 does not. Only the type is logged,
            // its message could quote anything.
            LOG.warnf("API Gateway call refused: %s before any key verified", e.getClass().getName());
        }
        return refusal();
    }

    /**
     * A failure after a key verified: the caller proved who they are, so they are told the truth (it failed on our
     * side) and nothing more; the reason goes to the log. The run's id is made inside the run, so a run that threw has
     * none to give; the Fn call id every log line carries ties the log to the call.
     */
    private static RequestException failed(RuntimeException e) {
        if (e instanceof ocivaultsync.config.ConfigException) {
            LOG.errorf("verified API Gateway call failed: INVALID_CONFIG: %s", e.getMessage());
        } else if (e instanceof RequestException re) {
            // INVALID_CONFIG, say: its message is written for the operator (it may quote configuration text), not the
            // internet.
            LOG.errorf("verified API Gateway call failed: %s: %s", re.code(), re.getMessage());
        } else {
            // Only the type and where it was thrown: an unexpected exception's message could quote anything.
            StackTraceElement[] at = e.getStackTrace();
            LOG.errorf("verified API Gateway call failed: %s%s", e.getClass().getName(),
                    at.length == 0 ? "" : " at " + at[0]);
        }
        return internalError();
    }

    /** The one answer to a failure after a key verified. */
    static RequestException internalError() {
        return new RequestException(INTERNAL_STATUS, "INTERNAL", INTERNAL_MESSAGE);
    }

    /** A webhook whose signature matched the keys named. */
    private record Verified(JsonNode body, List<String> keys) {
    }

    private Verified verify(String function, CallContext ctx) {
        if (!"event".equals(function)) {
            throw new Refused("the gateway URL names " + function + "; only event is served");
        }
        if (ctx.rawBody().length > CallContext.MAX_BODY_BYTES) {
            throw new Refused("the body is over " + CallContext.MAX_BODY_BYTES + " bytes, more than any webhook "
                    + "carries; it was not read");
        }
        // The header first: an unsigned or stale call is refused before its body is parsed.
        WebhookVerifier.Signature sig = verifier.parseHeader(ctx.header("x-infisical-signature"));
        JsonNode body;
        try {
            body = ctx.rawBody().length == 0 ? null : JSON.readTree(ctx.rawBody());
        } catch (IOException e) {
            throw new Refused("the body is not JSON");
        }
        if (body == null || !body.isObject() || !body.path("event").isTextual()
                || !body.path("timestamp").canConvertToLong() || !body.path("timestamp").isIntegralNumber()) {
            throw new Refused("the body is not an Infisical webhook (a JSON object with a text event and a numeric "
                    + "timestamp)");
        }
        for (String foreign : Set.of("eventType", "cloudEventsVersion", "trigger", "retry", "function")) {
            if (body.has(foreign)) {
                throw new Refused("the body carries " + foreign + ", which no Infisical webhook has");
            }
        }
        WebhookVerifier.checkBodyTimestamp(sig, body.get("timestamp").asLong());
        List<String> verifiedKeys = matching(sig, ctx.rawBody(), keySecretIds);
        if (verifiedKeys.isEmpty()) {
            // The key may have been rotated since it was read: read the keys again and check once more. Each key is
            // read so at most once per 10 s, so forged requests cost no more than that.
            verifiedKeys = matching(sig, ctx.rawBody(), keySecretIds.stream().filter(keys::reread).toList());
        }
        if (verifiedKeys.isEmpty()) {
            throw new Refused("the signature matches none of the " + keySecretIds.size() + " signing key(s) of "
                    + "ovs.webhook-key-secret-ids");
        }
        verifier.accept(sig);
        return new Verified(body, verifiedKeys);
    }

    /** The key secrets (of {@code keyIds}) one of whose usable versions signed the body. */
    private List<String> matching(WebhookVerifier.Signature sig, byte[] rawBody, List<String> keyIds) {
        List<String> out = new ArrayList<>();
        for (String keyId : keyIds) {
            for (String key : keys.keys(keyId).usable()) {
                if (WebhookVerifier.matches(sig, rawBody, key)) {
                    out.add(keyId);
                    break;
                }
            }
        }
        return out;
    }

    private JsonNode run(Verified verified, CallContext ctx) {
        JsonNode body = verified.body();
        List<String> verifiedKeys = verified.keys();
        ObjectNode ack = JSON.createObjectNode();
        if (!WebhookProject.isModified(body)) {
            // Infisical also sends test pings, rotation failures, change and access requests: verified, acknowledged
            // so Infisical does not mark the hook failed, and nothing to sync.
            LOG.infof("verified Infisical webhook %s: nothing to run", body.get("event").asText());
            ack.putArray("syncs");
            return ack;
        }
        WebhookProject project = WebhookProject.of(body);
        SyncConfig cfg = runner.config();
        List<SyncDefinition> hooked = cfg.syncs().stream().filter(s -> s.source() instanceof InfisicalSourceConfig i
                && project.readBy(i) && i.webhookSigningKey().isPresent()
                && i.webhookSigningKey().get() instanceof SecretRef.VaultSecret v
                && verifiedKeys.contains(v.secretId())).toList();
        if (hooked.isEmpty()) {
            // Verified, but no sync reads that folder with that key: Infisical also sends the webhook of a folder that
            // is only imported by the one a sync reads (docs/ASSUMPTIONS.md, "Webhooks of importing folders"). It is
            // acknowledged, so Infisical does not mark the hook as failing, and runs nothing.
            LOG.infof("verified Infisical webhook for %s: no sync reads it with the key that verified; nothing to run",
                    project);
            ack.putArray("syncs");
            return ack;
        }
        RunReport report = runner.run(cfg, hooked, RunRequest.automatic(Trigger.INFISICAL_WEBHOOK)
                .withDeadline(ctx.deadline().orElse(null)));
        ack.put("runId", report.runId());
        ArrayNode syncs = ack.putArray("syncs");
        for (SyncReport s : report.syncs()) {
            syncs.addObject().put("status", s.status().name());
        }
        return ack;
    }
}
