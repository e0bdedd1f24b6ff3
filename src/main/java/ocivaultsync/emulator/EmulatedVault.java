package ocivaultsync.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The state model: secrets, versions, the lifecycle state machine with its transition delays, name reservation and
 * OCI's limits (docs/EMULATOR.md, 'The OCI API it serves'). Every method takes the vault's lock, so the HTTP layer can
 * call it from any
 * thread.
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

    /** What a create asks for. */
    public record NewSecret(String compartmentId, String vaultId, String keyId, String name, String description,
            String contentBase64, String versionName, Map<String, String> freeformTags,
            Map<String, Object> definedTags, Map<String, Object> metadata) {
    }

    /** What an update asks for; null fields are left as they are. */
    public record SecretUpdate(String description, String contentBase64, String versionName, boolean pending,
            Map<String, String> freeformTags, Map<String, Object> definedTags, Map<String, Object> metadata,
            Long currentVersionNumber) {
    }

    /** One ListSecrets page. */
    public record Page(List<Map<String, Object>> items, String nextPage) {
    }

    static final int MAX_CONTENT_BYTES = 25 * 1024;
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TAG_VALUE = 256;
    static final Duration MIN_DELETION = Duration.ofDays(1);
    static final Duration MAX_DELETION = Duration.ofDays(30);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Duration RETRY_TOKEN_TTL = Duration.ofHours(24);

    private final Identity identity;
    private final EmulatorClock clock;
    private final EmulatorOptions options;
    private final Random random;
    /** Apart from {@link #random}, so that random transition times do not change the ids a seed gives. */
    private final Random transitions;
    private final Map<String, EmulatedSecret> secrets = new LinkedHashMap<>();
    private final Map<String, RetryToken> retryTokens = new HashMap<>();

    private record RetryToken(String requestHash, String secretId, Instant at) {
    }

    public EmulatedVault(Identity identity, EmulatorClock clock, EmulatorOptions options) {
        this.identity = identity;
        this.clock = clock;
        this.options = options;
        this.random = new Random(options.seed());
        this.transitions = new Random(options.seed() * 31 + 7);
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
        if (retryToken != null) {
            RetryToken seen = retryTokens.get(retryToken);
            if (seen != null && seen.at().plus(RETRY_TOKEN_TTL).isAfter(now)) {
                if (!seen.requestHash().equals(requestHash)) {
                    throw OciError.invalidatedRetryToken();
                }
                EmulatedSecret same = secrets.get(seen.secretId());
                if (same != null) {
                    settle(same, now);
                    return secretJson(same, true);
                }
            }
        }
        require(req.compartmentId(), "compartmentId");
        require(req.vaultId(), "vaultId");
        require(req.keyId(), "keyId");
        require(req.name(), "secretName");
        if (req.contentBase64() == null) {
            throw OciError.missing("secretContent is required.");
        }
        if (!identity.vaultId().equals(req.vaultId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The vault " + req.vaultId() + " was not found or is not authorized.");
        }
        if (!identity.keyId().equals(req.keyId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The key " + req.keyId() + " was not found in the vault or is not authorized.");
        }
        if (!identity.compartmentId().equals(req.compartmentId()) && !identity.tenancyId().equals(req.compartmentId())) {
            throw new OciError(400, "RelatedResourceNotAuthorizedOrNotFound",
                    "The compartment " + req.compartmentId() + " was not found or is not authorized.");
        }
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
        s.versions.add(new EmulatedSecret.Version(1, req.versionName(), req.contentBase64(),
                EnumSet.of(EmulatedSecret.Stage.CURRENT, EmulatedSecret.Stage.LATEST), now));
        s.currentVersion = 1;
        begin(s, SecretState.CREATING, SecretState.ACTIVE, now);
        secrets.put(s.id, s);
        if (retryToken != null) {
            retryTokens.put(retryToken, new RetryToken(requestHash, s.id, now));
        }
        return secretJson(s, true);
    }

    public synchronized Map<String, Object> get(String id) {
        return secretJson(find(id), true);
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
            long live = s.versions.stream().filter(v -> v.timeOfDeletion == null).count();
            if (live >= options.maxVersions()) {
                throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                        + " versions; delete deprecated versions first.");
            }
            if (req.versionName() != null
                    && s.versions.stream().anyMatch(v -> req.versionName().equals(v.name))) {
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
            promote(s, v);
        }
        if (req.contentBase64() != null) {
            long number = s.versions.stream().mapToLong(v -> v.number).max().orElse(0) + 1;
            EmulatedSecret.Version v = new EmulatedSecret.Version(number, req.versionName(), req.contentBase64(),
                    EnumSet.noneOf(EmulatedSecret.Stage.class), now);
            s.versions.forEach(old -> old.stages.remove(EmulatedSecret.Stage.LATEST));
            v.stages.add(EmulatedSecret.Stage.LATEST);
            s.versions.add(v);
            if (req.pending()) {
                s.versions.forEach(old -> old.stages.remove(EmulatedSecret.Stage.PENDING));
                v.stages.add(EmulatedSecret.Stage.PENDING);
            } else {
                promote(s, v);
            }
            begin(s, SecretState.UPDATING, SecretState.ACTIVE, now);
        }
        s.etag++;
        return secretJson(s, true);
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

    public synchronized Page list(String compartmentId, String vaultId, String name, String lifecycleState,
            String sortBy, String sortOrder, Integer limit, String page) {
        if (compartmentId == null || compartmentId.isBlank()) {
            throw OciError.missing("compartmentId is required.");
        }
        checkListScope(compartmentId, vaultId);
        SecretState stateFilter = null;
        if (lifecycleState != null) {
            try {
                stateFilter = SecretState.valueOf(lifecycleState.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw OciError.invalid("lifecycleState must be one of " + List.of(SecretState.values()) + ".");
            }
        }
        String by = sortBy == null ? "TIMECREATED" : sortBy;
        if (!by.equals("TIMECREATED") && !by.equals("NAME")) {
            throw OciError.invalid("sortBy must be TIMECREATED or NAME.");
        }
        boolean asc = sortOrder == null ? by.equals("NAME") : sortOrder.equals("ASC");
        if (sortOrder != null && !sortOrder.equals("ASC") && !sortOrder.equals("DESC")) {
            throw OciError.invalid("sortOrder must be ASC or DESC.");
        }
        int size = limit == null ? options.pageSize() : limit;
        if (size < 1 || size > 1000) {
            throw OciError.invalid("limit must be between 1 and 1000.");
        }
        int offset = 0;
        if (page != null) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (RuntimeException e) {
                throw OciError.invalid("The page token is not valid.");
            }
        }
        Instant now = clock.now();
        List<EmulatedSecret> matching = new ArrayList<>();
        for (EmulatedSecret s : secrets.values()) {
            settle(s, now);
            if (s.compartmentId.equals(compartmentId) && (vaultId == null || s.vaultId.equals(vaultId))
                    && (name == null || s.name.equals(name)) && (stateFilter == null || s.state == stateFilter)) {
                matching.add(s);
            }
        }
        Comparator<EmulatedSecret> order = by.equals("NAME") ? Comparator.comparing((EmulatedSecret s) -> s.name)
                : Comparator.comparing((EmulatedSecret s) -> s.timeCreated);
        order = order.thenComparing(s -> s.id);
        matching.sort(asc ? order : order.reversed());
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + size); i++) {
            items.add(secretJson(matching.get(i), false));
        }
        String next = offset + size < matching.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + (offset + size)).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page(items, next);
    }

    public synchronized Page listVersions(String id, Integer limit, String page, String sortOrder) {
        EmulatedSecret s = find(id);
        Comparator<EmulatedSecret.Version> byNumber = Comparator.comparingLong(v -> v.number);
        List<EmulatedSecret.Version> vs = new ArrayList<>(s.versions);
        vs.sort("DESC".equals(sortOrder) ? byNumber.reversed() : byNumber);
        int size = limit == null ? options.pageSize() : limit;
        int offset = page == null ? 0 : parseOffset(page);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < Math.min(vs.size(), offset + size); i++) {
            items.add(versionJson(s, vs.get(i), true));
        }
        String next = offset + size < vs.size() ? String.valueOf(offset + size) : null;
        return new Page(items, next);
    }

    /**
     * ScheduleSecretVersionDeletion: only a DEPRECATED version (OCI refuses CURRENT, PREVIOUS, LATEST and PENDING),
     * with the same 1-30 day window as a secret. See docs/EMULATOR.md, "Versions".
     */
    public synchronized String scheduleVersionDeletion(String id, long number, Instant timeOfDeletion,
            String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        if (s.state != SecretState.ACTIVE) {
            // As UpdateSecret and ScheduleSecretDeletion do: a secret still UPDATING after a new version refuses it.
            throw OciError.incorrectState("The secret is in state " + s.state + "; it must be ACTIVE to schedule the "
                    + "deletion of a version.");
        }
        EmulatedSecret.Version v = s.version(number);
        if (v == null) {
            throw OciError.notFound();
        }
        Instant now = clock.now();
        Instant when = timeOfDeletion == null ? now.plus(MAX_DELETION) : timeOfDeletion;
        if (when.isBefore(now.plus(MIN_DELETION).minusSeconds(60)) || when.isAfter(now.plus(MAX_DELETION).plusSeconds(60))) {
            throw OciError.invalid("timeOfDeletion must be between 1 and 30 days from now.");
        }
        if (!v.stages.contains(EmulatedSecret.Stage.DEPRECATED) || v.stages.contains(EmulatedSecret.Stage.CURRENT)
                || v.stages.contains(EmulatedSecret.Stage.PREVIOUS) || v.stages.contains(EmulatedSecret.Stage.LATEST)
                || v.stages.contains(EmulatedSecret.Stage.PENDING)) {
            throw OciError.incorrectState("Version " + number + " is " + v.stages + "; only a DEPRECATED version can be "
                    + "scheduled for deletion.");
        }
        if (v.timeOfDeletion != null) {
            throw OciError.incorrectState("Version " + number + " is already pending deletion.");
        }
        long pending = s.versions.stream().filter(x -> x.timeOfDeletion != null).count();
        if (pending >= options.maxVersions()) {
            throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                    + " versions pending deletion.");
        }
        v.timeOfDeletion = when;
        s.etag++;
        return s.etag();
    }

    /** CancelSecretVersionDeletion: a version pending deletion is in use again. */
    public synchronized String cancelVersionDeletion(String id, long number, String ifMatch) {
        EmulatedSecret s = find(id);
        checkEtag(s, ifMatch);
        EmulatedSecret.Version v = s.version(number);
        if (v == null) {
            throw OciError.notFound();
        }
        if (v.timeOfDeletion == null) {
            throw OciError.incorrectState("Version " + number + " is not pending deletion.");
        }
        if (s.versions.stream().filter(x -> x.timeOfDeletion == null).count() >= options.maxVersions()) {
            throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                    + " versions; delete deprecated versions first.");
        }
        v.timeOfDeletion = null;
        s.etag++;
        return s.etag();
    }

    public synchronized Map<String, Object> getVersion(String id, long number) {
        EmulatedSecret s = find(id);
        EmulatedSecret.Version v = s.version(number);
        if (v == null) {
            throw OciError.notFound();
        }
        return versionJson(s, v, false);
    }

    /**
     * A compartment or vault the caller cannot see is 404 NotAuthorizedOrNotFound, not an empty page: OCI does not
     * tell "absent" from "not allowed" (docs/ASSUMPTIONS.md, "ListSecrets out of sight"). The emulator's caller sees
     * its one compartment (or the tenancy above it) and its one vault.
     */
    private void checkListScope(String compartmentId, String vaultId) {
        boolean compartmentSeen = identity.compartmentId().equals(compartmentId)
                || identity.tenancyId().equals(compartmentId);
        if (!compartmentSeen || vaultId != null && !identity.vaultId().equals(vaultId)) {
            throw OciError.notFound();
        }
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
        // A secret pending deletion (or gone) cannot be read: ESO #6771 saw 404 for exactly this.
        if (s.state != SecretState.ACTIVE && s.state != SecretState.UPDATING && s.state != SecretState.CREATING) {
            throw OciError.notFound();
        }
        int selectors = (versionNumber != null ? 1 : 0) + (versionName != null ? 1 : 0) + (stage != null ? 1 : 0);
        if (selectors > 1) {
            throw OciError.invalid("Give at most one of versionNumber, secretVersionName and stage.");
        }
        EmulatedSecret.Version v = null;
        if (versionNumber != null) {
            v = s.version(versionNumber);
        } else if (versionName != null) {
            v = s.versions.stream().filter(x -> versionName.equals(x.name)).findFirst().orElse(null);
        } else {
            EmulatedSecret.Stage want;
            try {
                want = stage == null ? EmulatedSecret.Stage.CURRENT
                        : EmulatedSecret.Stage.valueOf(stage.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw OciError.invalid("stage must be one of CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED.");
            }
            v = s.versions.stream().filter(x -> x.stages.contains(want)).findFirst().orElse(null);
        }
        if (v == null || v.timeOfDeletion != null) {
            throw OciError.notFound();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secretId", s.id);
        out.put("versionNumber", v.number);
        out.put("versionName", v.name);
        out.put("stages", v.stages.stream().map(Enum::name).toList());
        out.put("timeCreated", Json.time(v.timeCreated));
        out.put("metadata", s.metadata);
        out.put("secretBundleContent", Map.of("contentType", "BASE64", "content", v.contentBase64));
        return out;
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
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id);
            m.put("name", s.name);
            m.put("compartmentId", s.compartmentId);
            m.put("vaultId", s.vaultId);
            m.put("lifecycleState", s.state.name());
            m.put("freeformTags", s.freeformTags);
            m.put("currentVersionNumber", s.currentVersion);
            m.put("versionCount", s.versions.size());
            m.put("timeOfDeletion", Json.time(s.timeOfDeletion));
            EmulatedSecret.Version current = s.current();
            m.put("content", current == null ? null : current.contentBase64);
            out.add(m);
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
        s.versions.add(new EmulatedSecret.Version(1, null, contentBase64,
                EnumSet.of(EmulatedSecret.Stage.CURRENT, EmulatedSecret.Stage.LATEST), now));
        s.currentVersion = 1;
        s.state = state == null ? SecretState.ACTIVE : state;
        if (s.state == SecretState.PENDING_DELETION) {
            s.timeOfDeletion = now.plus(Duration.ofDays(7));
        }
        secrets.put(s.id, s);
        return secretJson(s, true);
    }

    /**
     * Forces a state, as if another writer had just acted: it holds for {@code seconds} (emulator time), then the
     * secret settles into {@code then}. Used to put secrets in transitional states.
     */
    public synchronized Map<String, Object> force(String id, SecretState state, long seconds, SecretState then) {
        EmulatedSecret s = find(id);
        Instant now = clock.now();
        s.state = state;
        s.transitionEndsAt = null;
        s.forcedUntil = now.plusSeconds(seconds);
        s.stateAfterForced = then == null ? SecretState.ACTIVE : then;
        if (state == SecretState.PENDING_DELETION && s.timeOfDeletion == null) {
            s.timeOfDeletion = now.plus(Duration.ofDays(7));
        }
        s.etag++;
        return secretJson(s, true);
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

    /** Starts a transition, or jumps to the target when transitions are immediate. */
    private void begin(EmulatedSecret s, SecretState transitional, SecretState target, Instant now) {
        if (options.transitionMs() <= 0) {
            s.state = target;
            s.target = null;
            s.transitionEndsAt = null;
        } else {
            s.state = transitional;
            s.target = target;
            s.transitionEndsAt = now.plusMillis(transitionMillis());
        }
        s.forcedUntil = null;
    }

    private long transitionMillis() {
        long min = options.transitionMinMs();
        long max = options.transitionMs();
        return min > 0 && min < max ? min + (long) (transitions.nextDouble() * (max - min)) : max;
    }

    /** Applies whatever the clock says has happened since the secret was last looked at. */
    private void settle(EmulatedSecret s, Instant now) {
        if (s.forcedUntil != null) {
            if (now.isBefore(s.forcedUntil)) {
                return;
            }
            s.state = s.stateAfterForced;
            s.forcedUntil = null;
        }
        // A version whose deletion time has come is gone, and no longer counts against any limit.
        s.versions.removeIf(v -> v.timeOfDeletion != null && !now.isBefore(v.timeOfDeletion));
        if (s.transitionEndsAt != null && !now.isBefore(s.transitionEndsAt)) {
            s.state = s.target;
            s.target = null;
            s.transitionEndsAt = null;
        }
        if (s.state == SecretState.PENDING_DELETION && s.timeOfDeletion != null && !now.isBefore(s.timeOfDeletion)) {
            begin(s, SecretState.DELETING, SecretState.DELETED, s.timeOfDeletion);
            settle(s, now);
        }
    }

    private static void promote(EmulatedSecret s, EmulatedSecret.Version v) {
        EmulatedSecret.Version old = s.current();
        for (EmulatedSecret.Version x : s.versions) {
            if (x.stages.remove(EmulatedSecret.Stage.PREVIOUS)) {
                x.stages.add(EmulatedSecret.Stage.DEPRECATED);
            }
        }
        if (old != null && old != v) {
            old.stages.remove(EmulatedSecret.Stage.CURRENT);
            old.stages.add(EmulatedSecret.Stage.PREVIOUS);
        }
        v.stages.remove(EmulatedSecret.Stage.PENDING);
        v.stages.remove(EmulatedSecret.Stage.DEPRECATED);
        v.stages.add(EmulatedSecret.Stage.CURRENT);
        s.currentVersion = v.number;
    }

    private static void checkEtag(EmulatedSecret s, String ifMatch) {
        if (ifMatch != null && !ifMatch.equals(s.etag())) {
            throw OciError.noEtagMatch();
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw OciError.missing(field + " is required.");
        }
    }

    private static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw OciError.invalid("secretName must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        if (!NAME.matcher(name).matches()) {
            throw OciError.invalid("secretName may only contain letters, digits, '-', '_' and '.'.");
        }
    }

    private static void checkTags(Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 100) {
                throw OciError.invalid("Freeform tag keys must be 1 to 100 characters.");
            }
            if (e.getValue() != null && e.getValue().length() > MAX_TAG_VALUE) {
                throw OciError.invalid("Freeform tag values must be at most " + MAX_TAG_VALUE + " characters.");
            }
        }
    }

    private static void checkContent(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw OciError.invalid("secretContent.content must be base64.");
        }
        if (decoded.length == 0) {
            throw OciError.invalid("secretContent.content must not be empty.");
        }
        if (decoded.length > MAX_CONTENT_BYTES) {
            throw OciError.invalid("The secret content exceeds the maximum size of 25 KB.");
        }
    }

    private static int parseOffset(String page) {
        try {
            return Integer.parseInt(page);
        } catch (NumberFormatException e) {
            throw OciError.invalid("The page token is not valid.");
        }
    }

    private String newId() {
        StringBuilder sb = new StringBuilder("ocid1.vaultsecret.oc1.").append(identity.region()).append(".amaaaaaa");
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private Map<String, Object> secretJson(EmulatedSecret s, boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compartmentId", s.compartmentId);
        m.put("currentVersionNumber", s.currentVersion);
        m.put("definedTags", s.definedTags);
        m.put("description", s.description);
        m.put("freeformTags", s.freeformTags);
        m.put("id", s.id);
        m.put("keyId", s.keyId);
        m.put("lifecycleDetails", null);
        m.put("lifecycleState", s.state.name());
        if (full) {
            m.put("metadata", s.metadata);
        } else {
            m.put("systemTags", Map.of());
        }
        m.put("secretName", s.name);
        m.put("timeCreated", Json.time(s.timeCreated));
        m.put("timeOfDeletion", Json.time(s.timeOfDeletion));
        m.put("vaultId", s.vaultId);
        return m;
    }

    private static Map<String, Object> versionJson(EmulatedSecret s, EmulatedSecret.Version v, boolean summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contentType", "BASE64");
        m.put("name", v.name);
        m.put("secretId", s.id);
        m.put("stages", v.stages.stream().map(Enum::name).toList());
        m.put("timeCreated", Json.time(v.timeCreated));
        m.put("timeOfDeletion", Json.time(v.timeOfDeletion));
        m.put("versionNumber", v.number);
        if (summary) {
            m.put("systemTags", Map.of());
        }
        return m;
    }

    /** SHA-256 of a request body, to tell a retried create from a different one under the same token. */
    static String hash(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
