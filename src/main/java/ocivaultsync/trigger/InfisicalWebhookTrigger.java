package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;

/**
 * An Infisical webhook arrives from an IAM-authenticated caller (a local run, or a test; the internet's go to
 * {@link GatewayWebhook}). Its signature is verified by {@link WebhookVerifier} against the signing keys of the syncs
 * that read the folder it names; a {@code secrets.modified} event then runs the syncs whose key verified it. Other
 * events (test pings, rotation failures, change and access requests, some without a project path), and changes to a
 * folder no sync reads, are verified against every sync's key and run nothing (see README, "Triggers: how each one reaches the function").
 */
final class InfisicalWebhookTrigger {

    private final SyncRunner runner;
    private final Function<SecretRef, String> secrets;
    private final WebhookVerifier webhooks;

    /** @param secrets reads a signing key */
    InfisicalWebhookTrigger(SyncRunner runner, Function<SecretRef, String> secrets, WebhookVerifier webhooks) {
        this.runner = runner;
        this.secrets = secrets;
        this.webhooks = webhooks;
    }

    /** Whether the body is an Infisical webhook rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("event");
    }

    public RunReport handle(JsonNode body, CallContext ctx) {
        boolean modified = WebhookProject.isModified(body);
        if (modified && !body.path("project").isObject()) {
            throw RequestException.invalid("project: the webhook names no project");
        }
        WebhookProject project = WebhookProject.of(body);
        SyncConfig cfg = runner.config();
        List<SyncDefinition> infisical = cfg.syncs().stream()
                .filter(s -> s.source() instanceof InfisicalSourceConfig).toList();
        List<SyncDefinition> readers = infisical.stream()
                .filter(s -> !modified || project.readBy((InfisicalSourceConfig) s.source())).toList();
        // A change to a folder no sync reads still comes signed with a sync's key: Infisical also sends the webhook of
        // the folder that was written (dev:/shared) when only a folder importing it (prod:/) is synced, and the
        // importer's own webhook follows a few seconds later (docs/ASSUMPTIONS.md, "Webhooks of importing folders").
        // It is verified against every sync's key and runs nothing, so Infisical does not mark the hook as failing.
        boolean concernsNoSync = modified && readers.isEmpty() && !infisical.isEmpty();
        List<SyncDefinition> candidates = concernsNoSync ? infisical : readers;
        String where = modified && !concernsNoSync ? project.toString() : "any infisical project";
        if (candidates.isEmpty()) {
            throw new RequestException("UNKNOWN_SYNC", "no sync reads " + (modified ? project : where));
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
        RunRequest req = RunRequest.automatic(Trigger.INFISICAL_WEBHOOK).withDeadline(ctx.deadline().orElse(null));
        if (!modified || concernsNoSync) {
            return runner.run(cfg, List.of(), req); // a test ping, another event or another folder: nothing to sync
        }
        return runner.run(cfg, verified, req);
    }
}
