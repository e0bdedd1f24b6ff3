package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.SecretRef;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.report.RunReport;
import ocivaultsync.run.SyncRunner;

/**
 * The {@code event} function: tells apart an OCI Events envelope, an Infisical webhook, a retry message and a schedule
 * body by their fields, and hands each to its trigger. Only syncs with auto-sync on run for events and schedules;
 * anything unrecognised is a 400, and nothing runs (see docs/ARCHITECTURE.md, "Triggers: how each one reaches the
 * function").
 */
public final class EventHandler {

    private final OciEventTrigger ociEvents;
    private final InfisicalWebhookTrigger webhooks;
    private final ScheduleTrigger schedules;
    private final RetryTrigger retries;

    EventHandler(OciEventTrigger ociEvents, InfisicalWebhookTrigger webhooks, ScheduleTrigger schedules,
            RetryTrigger retries) {
        this.ociEvents = ociEvents;
        this.webhooks = webhooks;
        this.schedules = schedules;
        this.retries = retries;
    }

    /**
     * The four triggers over one runner.
     *
     * @param forgetSecret drops the cached copy of a secret the product reads
     * @param secrets      reads a secret the configuration names (a webhook signing key)
     * @param webhooks     the one verifier, shared with {@link GatewayWebhook}: a signature accepted on one path is a
     *                     replay on the other
     */
    public EventHandler(SyncRunner runner, ConfigControl configHolder, Consumer<String> forgetSecret,
            Function<SecretRef, String> secrets, WebhookVerifier webhooks, Clock clock, Sleeper sleeper) {
        this(runner, configHolder, forgetSecret, secrets, SigningKeys.current(id -> secrets.apply(
                new SecretRef.VaultSecret(id)), java.time.Duration.ofMinutes(5), clock), webhooks, clock, sleeper);
    }

    /**
     * @param signingKeys the webhook signing keys kept in OCI Vault (CURRENT and, during a rotation, PREVIOUS)
     */
    public EventHandler(SyncRunner runner, ConfigControl configHolder, Consumer<String> forgetSecret,
            Function<SecretRef, String> secrets, SigningKeys signingKeys, WebhookVerifier webhooks, Clock clock,
            Sleeper sleeper) {
        this(new OciEventTrigger(runner, configHolder, forgetSecret, clock),
                new InfisicalWebhookTrigger(runner, secrets, signingKeys, webhooks), new ScheduleTrigger(runner),
                new RetryTrigger(runner, clock, sleeper));
    }

    public RunReport handle(JsonNode body, CallContext ctx) {
        if (ctx.viaGateway()) {
            // The gateway is the internet: its calls go to GatewayWebhook and never reach the checks below, whose
            // refusals differ from the uniform one.
            throw GatewayWebhook.refusal();
        }
        if (body == null || !body.isObject()) {
            throw RequestException.invalid("the event body must be a JSON object");
        }
        if (OciEventTrigger.accepts(body)) {
            return ociEvents.handle(body, ctx.deadline());
        }
        if (InfisicalWebhookTrigger.accepts(body)) {
            return webhooks.handle(body, ctx);
        }
        if (RetryTrigger.accepts(body)) {
            return retries.handle(body, ctx.deadline());
        }
        if (ScheduleTrigger.accepts(body)) {
            return schedules.handle(body, ctx.deadline());
        }
        throw RequestException.invalid("the body is not an OCI event, an Infisical webhook, a schedule "
                + "({\"trigger\": \"schedule\"}) or a retry message ({\"retry\": {...}})");
    }
}
