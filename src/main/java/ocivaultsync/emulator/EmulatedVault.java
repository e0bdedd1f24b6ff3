package ocivaultsync.emulator;

import static ocivaultsync.emulator.SecretRules.MAX_DELETION;
import static ocivaultsync.emulator.SecretRules.MIN_DELETION;
import static ocivaultsync.emulator.SecretRules.checkContent;
import static ocivaultsync.emulator.SecretRules.checkEtag;
import static ocivaultsync.emulator.SecretRules.checkListScope;
import static ocivaultsync.emulator.SecretRules.checkName;
import static ocivaultsync.emulator.SecretRules.checkRelated;
import static ocivaultsync.emulator.SecretRules.checkTags;
import static ocivaultsync.emulator.SecretRules.require;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The state model: secrets, versions, the lifecycle state machine with its transition delays, name reservation and
 * OCI's limits (docs/EMULATOR.md, 'The OCI API it serves'). Every method takes the vault's lock, so the HTTP layer can
 * call it from any thread. Each secret runs its own lifecycle ({@link EmulatedSecret}); this class holds what looks
 * across secrets. It answers in OCI's shapes ({@link OciJson}) because in-process callers read those too.
 */
public final class EmulatedVault {

    /** Identity of the vault and key it starts with (the admin API's {@code /_emulator/info}). */
    public record Identity(String tenancyId, String compartmentId, String vaultId, String keyId, String region) {
        public static Identity defaults() {
            return new Identity("ocid1.tenancy.oc1..emulatortenancy", "ocid1.compartment.oc1..emulatorcompartment",
                    "ocid1.vault.oc1.eu-frankfurt-1.emulatorvault", "ocid1.key.oc1.eu-frankfurt-1.emulatorkey",
                    "eu-frankfurt-1");
        }
    }

    /** One page of a listing; {@code nextOffset} is null on the last page (the HTTP layer makes the token). */
    public record Page(List<Map<String, Object>> items, Integer nextOffset) {
    }

    private final Identity identity;
    private final EmulatorClock clock;
    private final EmulatorOptions options;
    private final Random random;
    private final Transitions transitions;
    private final SecretVersions versions;
    private final Map<String, EmulatedSecret> secrets = new LinkedHashMap<>();
    private final RetryTokens retryTokens = new RetryTokens();

    /** The vault's clock: what its answers' {@code Date} header says. */
    public Instant now() {
        return clock.now();
    }

    public EmulatedVault(Identity identity, EmulatorClock clock, EmulatorOptions options) {
        this.identity = identity;
        this.clock = clock;
        this.options = options;
        this.random = new Random(options.seed());
        this.transitions = new Transitions(options);
        this.versions = new SecretVersions(options);
    }

    public Identity identity() {
        return identity;
    }

    public synchronized void reset() {
        secrets.clear();
        retryTokens.clear();
    }

    // ---- secret management (/20180608) ----

    public synchronized Map<String, Object> create(NewSecret req, String retryToken, String requestHash) {
        Instant now = clock.now();
        String replayed = retryTokens.replayed(retryToken, requestHash, now);
        EmulatedSecret same = replayed == null ? null : secrets.get(replayed);
        if (same != null) {
            settle(same, now);
            return OciJson.secret(same, true);
        }
        require(req.compartmentId(), "compartmentId");
        require(req.vaultId(), "vaultId");
        require(req.keyId(), "keyId");
        require(req.name(), "secretName");
        if (req.contentBase64() == null) {
            throw OciError.missing("secretContent is required.");
        }
        checkRelated(identity, req);
        checkName(req.name());
        checkTags(req.freeformTags());
        checkContent(req.contentBase64());
        for (EmulatedSecret s : secrets.values()) {
            // Real OCI keeps a name reserved while the secret is pending deletion, and reportedly after (§6.3).
            if (s.vaultId.equals(req.vaultId()) && s.name.equals(req.name())) {
                throw OciError.invalid("A secret with the name " + req.name() + " already exists in this vault.");
            }
        }
        long live = secrets.values().stream().filter(s -> s.state != SecretState.DELETED).count();
        if (live >= options.maxSecrets()) {
            throw OciError.limitExceeded("The tenancy has reached its limit of " + options.maxSecrets() + " secrets.");
        }
        EmulatedSecret s = new EmulatedSecret(newId(), req.compartmentId(), req.vaultId(), req.keyId(), req.name(), now);
        s.description = req.description();
        s.freeformTags = new LinkedHashMap<>(req.freeformTags() == null ? Map.of() : req.freeformTags());
        s.definedTags = new LinkedHashMap<>(req.definedTags() == null ? Map.of() : req.definedTags());
        s.metadata = req.metadata();
        s.firstVersion(req.versionName(), req.contentBase64(), now);
        begin(s, SecretState.CREATING, SecretState.ACTIVE, now);
        secrets.put(s.id, s);
        retryTokens.remember(retryToken, requestHash, s.id, now);
        return OciJson.secret(s, true);
    }

    public synchronized Map<String, Object> get(String id) {
        return OciJson.secret(find(id), true);
    }

    public synchronized String etag(String id) {
        return find(id).etag();
    }

    public synchronized Map<String, Object> update(String id, SecretUpdate req, String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        if (s.state != SecretState.ACTIVE) {
            throw OciError.incorrectState("The secret is in state " + s.state + "; it must be ACTIVE to be updated.");
        }
        if (req.contentBase64() != null && req.currentVersionNumber() != null) {
            throw OciError.invalid("currentVersionNumber and secretContent cannot be set in the same request.");
        }
        checkTags(req.freeformTags());
        Instant now = clock.now();
        if (req.contentBase64() != null) {
            checkContent(req.contentBase64());
            if (s.liveVersions() >= options.maxVersions()) {
                throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                        + " versions; delete deprecated versions first.");
            }
            if (req.versionName() != null && s.hasVersionNamed(req.versionName())) {
                throw OciError.invalid("A version with the name " + req.versionName() + " already exists.");
            }
        }
        if (req.description() != null) {
            s.description = req.description();
        }
        if (req.freeformTags() != null) {
            s.freeformTags = new LinkedHashMap<>(req.freeformTags());
        }
        if (req.definedTags() != null) {
            s.definedTags = new LinkedHashMap<>(req.definedTags());
        }
        if (req.metadata() != null) {
            s.metadata = req.metadata();
        }
        if (req.currentVersionNumber() != null) {
            EmulatedSecret.Version v = s.version(req.currentVersionNumber());
            if (v == null) {
                throw OciError.invalid("Version " + req.currentVersionNumber() + " does not exist.");
            }
            s.promote(v);
        }
        if (req.contentBase64() != null) {
            s.addVersion(req.versionName(), req.contentBase64(), req.pending(), now);
            begin(s, SecretState.UPDATING, SecretState.ACTIVE, now);
        }
        s.etag++;
        return OciJson.secret(s, true);
    }

    public synchronized String scheduleDeletion(String id, Instant timeOfDeletion, String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        Instant now = clock.now();
        Instant when = timeOfDeletion == null ? now.plus(MAX_DELETION) : timeOfDeletion;
        // Exactly 1 to 30 days, no allowance: a client whose clock is a little off must leave its own margin
        // (docs/ASSUMPTIONS.md, "Deletion window").
        if (when.isBefore(now.plus(MIN_DELETION)) || when.isAfter(now.plus(MAX_DELETION))) {
            throw OciError.invalid("timeOfDeletion must be between 1 and 30 days from now.");
        }
        if (s.state != SecretState.ACTIVE) {
            throw OciError.incorrectState("The secret is in state " + s.state + "; only an ACTIVE secret can be "
                    + "scheduled for deletion.");
        }
        s.timeOfDeletion = when;
        begin(s, SecretState.SCHEDULING_DELETION, SecretState.PENDING_DELETION, now);
        s.etag++;
        return s.etag();
    }

    public synchronized String cancelDeletion(String id, String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        if (s.state != SecretState.PENDING_DELETION) {
            throw OciError.incorrectState("The secret is in state " + s.state + "; only a secret pending deletion "
                    + "can have its deletion cancelled.");
        }
        s.timeOfDeletion = null;
        begin(s, SecretState.CANCELLING_DELETION, SecretState.ACTIVE, clock.now());
        s.etag++;
        return s.etag();
    }

    public synchronized Page list(SecretQuery q) {
        checkListScope(identity, q.compartmentId(), q.vaultId());
        int size = q.limit() == null ? options.pageSize() : q.limit();
        int offset = q.offset();
        Instant now = clock.now();
        List<EmulatedSecret> matching = new ArrayList<>();
        for (EmulatedSecret s : secrets.values()) {
            settle(s, now);
            if (s.compartmentId.equals(q.compartmentId()) && (q.vaultId() == null || s.vaultId.equals(q.vaultId()))
                    && (q.name() == null || s.name.equals(q.name()))
                    && (q.lifecycleState() == null || s.state == q.lifecycleState())) {
                matching.add(s);
            }
        }
        Comparator<EmulatedSecret> order = q.byName() ? Comparator.comparing((EmulatedSecret s) -> s.name)
                : Comparator.comparing((EmulatedSecret s) -> s.timeCreated);
        order = order.thenComparing(s -> s.id);
        matching.sort(q.ascending() ? order : order.reversed());
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + size); i++) {
            items.add(OciJson.secret(matching.get(i), false));
        }
        return new Page(items, offset + size < matching.size() ? offset + size : null);
    }

    // ---- versions: the rules are SecretVersions' ----

    public synchronized Page listVersions(String id, Integer limit, int offset, boolean descending) {
        return versions.list(find(id), limit, offset, descending);
    }

    /** ScheduleSecretVersionDeletion: see {@link SecretVersions#scheduleDeletion}. */
    public synchronized String scheduleVersionDeletion(String id, long number, Instant timeOfDeletion,
            String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        return versions.scheduleDeletion(s, number, timeOfDeletion, clock.now());
    }

    /** CancelSecretVersionDeletion: a version pending deletion is in use again. */
    public synchronized String cancelVersionDeletion(String id, long number, String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        return versions.cancelDeletion(s, number);
    }

    public synchronized Map<String, Object> getVersion(String id, long number) {
        return versions.get(find(id), number);
    }

    // ---- secret retrieval (/20190301) ----

    public synchronized Map<String, Object> bundle(String id, Long versionNumber, String versionName, String stage) {
        return bundleOf(find(id), versionNumber, versionName, stage);
    }

    public synchronized Map<String, Object> bundleByName(String vaultId, String name, Long versionNumber,
            String versionName, String stage) {
        if (name == null || vaultId == null) {
            throw OciError.missing("secretName and vaultId are required.");
        }
        Instant now = clock.now();
        for (EmulatedSecret s : secrets.values()) {
            settle(s, now);
            if (s.vaultId.equals(vaultId) && s.name.equals(name) && s.state != SecretState.DELETED) {
                return bundleOf(s, versionNumber, versionName, stage);
            }
        }
        throw OciError.notFound();
    }

    private Map<String, Object> bundleOf(EmulatedSecret s, Long versionNumber, String versionName, String stage) {
        return OciJson.bundle(s, s.readable(versionNumber, versionName, stage));
    }

    // ---- admin ----

    /** Every secret with its current content, by name, for {@code GET /_emulator/secrets}. */
    public synchronized List<Map<String, Object>> snapshot() {
        Instant now = clock.now();
        List<Map<String, Object>> out = new ArrayList<>();
        List<EmulatedSecret> byName = new ArrayList<>(secrets.values());
        byName.sort(Comparator.comparing((EmulatedSecret s) -> s.name).thenComparing(s -> s.id));
        for (EmulatedSecret s : byName) {
            settle(s, now);
            out.add(OciJson.adminSecret(s));
        }
        return out;
    }

    /** Seeds a secret directly (no signature, no call count): fast setup for tests and benchmarks. */
    public synchronized Map<String, Object> seed(String name, String contentBase64, Map<String, String> tags,
            SecretState state) {
        checkName(name);
        Instant now = clock.now();
        EmulatedSecret s = new EmulatedSecret(newId(), identity.compartmentId(), identity.vaultId(), identity.keyId(),
                name, now);
        s.freeformTags = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        s.firstVersion(null, contentBase64, now);
        s.state = state == null ? SecretState.ACTIVE : state;
        if (s.state == SecretState.PENDING_DELETION) {
            s.timeOfDeletion = now.plus(Duration.ofDays(7));
        }
        secrets.put(s.id, s);
        return OciJson.secret(s, true);
    }

    /**
     * Forces a state, as if another writer had just acted: it holds for {@code seconds} (emulator time), then the
     * secret settles into {@code then}. Used to put secrets in transitional states.
     */
    public synchronized Map<String, Object> force(String id, SecretState state, long seconds, SecretState then) {
        EmulatedSecret s = find(id);
        Instant now = clock.now();
        s.force(state, now, now.plusSeconds(seconds), then == null ? SecretState.ACTIVE : then);
        return OciJson.secret(s, true);
    }

    // ---- rules ----

    private EmulatedSecret find(String id) {
        EmulatedSecret s = secrets.get(id);
        if (s == null) {
            throw OciError.notFound();
        }
        settle(s, clock.now());
        return s;
    }

    private void begin(EmulatedSecret s, SecretState transitional, SecretState target, Instant now) {
        s.begin(transitional, target, now, transitions);
    }

    private void settle(EmulatedSecret s, Instant now) {
        s.settle(now, transitions);
    }

    private String newId() {
        StringBuilder sb = new StringBuilder("ocid1.vaultsecret.oc1.").append(identity.region()).append(".amaaaaaa");
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

}
