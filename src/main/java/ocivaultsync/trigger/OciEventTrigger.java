package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.SyncRecord;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.Trigger;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.SyncRunner;
import org.jboss.logging.Logger;

/**
 * An OCI Events envelope (CloudEvents 0.1) about a vault secret arrives. A change to the configuration secret reloads
 * the configuration and runs every sync; a change to a key or credential the product uses drops its cached copy and
 * runs every sync; an event on a sync's state secret, and an echo of this function's own write, run nothing; any
 * other change runs the syncs whose destination compartment (and, when the secret's tags name one, owner) it
 * concerns, checking that secret deeply (see docs/ARCHITECTURE.md, "Triggers: how each one reaches the function").
 */
public final class OciEventTrigger {

    private static final Logger LOG = Logger.getLogger(OciEventTrigger.class);

    /** The event types handled: the vault secret events. */
    public static final String SECRET_EVENT_PREFIX = "com.oraclecloud.vaultsecret.";

    private final SyncRunner runner;
    private final ConfigControl configHolder;
    private final Consumer<String> forgetSecret;
    private final Clock clock;

    /** @param forgetSecret drops the cached copy of a secret the product reads (a key or a credential) */
    OciEventTrigger(SyncRunner runner, ConfigControl configHolder, Consumer<String> forgetSecret, Clock clock) {
        this.runner = runner;
        this.configHolder = configHolder;
        this.forgetSecret = forgetSecret;
        this.clock = clock;
    }

    /** Whether the body is an OCI Events envelope rather than another trigger's. */
    static boolean accepts(JsonNode body) {
        return body.has("cloudEventsVersion") || body.has("eventType");
    }

    public RunReport handle(JsonNode body, java.util.Optional<Instant> deadline) {
        Bodies.refuseOperatorFields(body, "an OCI event");
        RunRequest req = RunRequest.automatic(Trigger.OCI_EVENT).withDeadline(deadline.orElse(null));
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
            return runner.run(runner.config(), List.of(), req);
        }
        String compartment = data.path("compartmentId").asText(body.path("extensions").path("compartmentId")
                .asText(""));
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
        if (isStateSecret(data) || runner.isStateSecret(secretId)) {
            // Every pass may write its status on its sync's state secret, and each write comes back as an event: a
            // pass run for it would make a failing sync loop (write, event, pass, failure, write, ...), each pass
            // logging in to Infisical, which locks an identity out after 3 failed logins. The passes read the record
            // themselves; an edit by hand is read by the next scheduled pass.
            LOG.infof("event %s on %s: a sync's state secret (%s), which passes write and read themselves; nothing "
                    + "to run (an edit by hand is read by the next scheduled pass)", type, secretId,
                    data.path("resourceName").asText("?"));
            return runner.run(cfg, List.of(), req);
        }
        if (runner.isOwnWrite(secretId, eventTime(body))) {
            LOG.infof("event %s on %s follows this function's own write of it; nothing to run", type, secretId);
            return runner.run(cfg, List.of(), req);
        }
        // The envelope carries the secret's tags: when it names its owner, only that sync need look.
        String owner = data.path("freeformTags").path(OwnershipTags.SYNC).asText("");
        List<SyncDefinition> concerned = cfg.syncs().stream()
                .filter(s -> compartment.isEmpty() || s.destination().compartmentId().equals(compartment))
                .filter(s -> owner.isEmpty() || s.name().equals(owner)).toList();
        Map<String, Set<String>> deep = new HashMap<>();
        concerned.forEach(s -> deep.put(s.name(), Set.of(secretId)));
        return runner.run(cfg, concerned, req.withDeepSecretIds(deep));
    }

    /**
     * Whether the event is about a sync's state secret: the envelope's tags say so ({@code ovs_state}), or, should an
     * envelope carry no tags, its name is one only state secrets take ({@code ovs-state-...}). Should it carry
     * neither, the runner knows the state secrets this container has listed.
     */
    static boolean isStateSecret(JsonNode data) {
        return !data.path("freeformTags").path(OwnershipTags.STATE).asText("").isEmpty()
                || SyncRecord.isStateName(data.path("resourceName").asText(""));
    }

    /** The event's time, by OCI's clock; an event that does not say is taken as of its arrival. */
    private Instant eventTime(JsonNode body) {
        try {
            return java.time.OffsetDateTime.parse(body.path("eventTime").asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return clock.instant();
        }
    }
}
