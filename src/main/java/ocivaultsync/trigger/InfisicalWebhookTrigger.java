package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
 * folder no sync reads, are verified against every sync's key and run nothing (see docs/ARCHITECTURE.md, "Triggers: how
 * each one reaches the function").
 */
final class InfisicalWebhookTrigger {

    private final SyncRunner runner;
    private final Function<SecretRef, String> secrets;
    private final SigningKeys keys;
    private final WebhookVerifier webhooks;

    /**
     * @param secrets reads an inline signing key (local runs)
     * @param keys    the signing keys kept in OCI Vault
     */
    InfisicalWebhookTrigger(SyncRunner runner, Function<SecretRef, String> secrets, SigningKeys keys,
            WebhookVerifier webhooks) {
        this.runner = runner;
        this.secrets = secrets;
        this.keys = keys;
        this.webhooks = webhooks;
    }

    /** Whether the body is an Infisical webhook rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("event");
    }

    /**
     * The syncs whose key signed the body; with {@code reread}, only among those whose key secret was read again for
     * it ({@link SigningKeys#reread}).
     */
    private List<SyncDefinition> verified(WebhookVerifier.Signature sig, byte[] rawBody, List<SyncDefinition> signed,
            boolean reread) {
        Set<String> readAgain = !reread ? Set.of() : signed.stream().map(InfisicalWebhookTrigger::keyRef)
                .filter(r -> r instanceof SecretRef.VaultSecret).map(r -> ((SecretRef.VaultSecret) r).secretId())
                .distinct().filter(keys::reread).collect(Collectors.toSet());
        List<SyncDefinition> out = new ArrayList<>();
        for (SyncDefinition s : signed) {
            SecretRef ref = keyRef(s);
            List<String> candidates;
            if (ref instanceof SecretRef.VaultSecret v) {
                if (reread && !readAgain.contains(v.secretId())) {
                    continue;
                }
                candidates = keys.keys(v.secretId()).usable();
            } else if (reread) {
                continue;
            } else {
                candidates = List.of(secrets.apply(ref)); // inline: its length was checked with the configuration
            }
            if (candidates.stream().anyMatch(key -> WebhookVerifier.matches(sig, rawBody, key))) {
                out.add(s);
            }
        }
        return out;
    }

    private static SecretRef keyRef(SyncDefinition s) {
        return ((InfisicalSourceConfig) s.source()).webhookSigningKey().get();
    }

    private boolean tooShort(SyncDefinition s) {
        SecretRef ref = keyRef(s);
        return ref instanceof SecretRef.VaultSecret v && keys.keys(v.secretId()).tooShort();
    }

    public RunReport handle(JsonNode body, CallContext ctx) {
        Bodies.refuseOperatorFields(body, "an Infisical webhook");
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
        WebhookVerifier.Signature sig = webhooks.parse(ctx.header("x-infisical-signature"), bodyTimestamp);
        List<SyncDefinition> verified = verified(sig, ctx.rawBody(), signed, false);
        if (verified.isEmpty()) {
            // A key may have been rotated since it was read: read the keys again (each at most once per 10 s) and
            // check once more.
            verified = verified(sig, ctx.rawBody(), signed, true);
        }
        if (verified.isEmpty()) {
            List<String> tooShort = signed.stream().filter(this::tooShort).map(SyncDefinition::name).toList();
            if (!tooShort.isEmpty()) {
                throw new RequestException("INVALID_CONFIG", "the webhookSigningKey of sync " + String.join(", ",
                        tooShort) + " holds a key shorter than " + InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES
                        + " bytes, which verifies nothing; store a key of at least "
                        + InfisicalSourceConfig.MIN_WEBHOOK_KEY_BYTES + " bytes in OCI Vault and in Infisical");
            }
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
