package ocivaultsync.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One secret's state inside {@link EmulatedVault}, with its own lifecycle: transitions begin and settle here, a time of
 * deletion that has come turns the secret DELETED, and new versions rotate the stages. Mutated only under the vault's
 * lock; the vault keeps the rules that look across secrets (names, limits, retry tokens).
 */
final class EmulatedSecret {

    enum Stage { CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED }

    /** One version of the content. */
    static final class Version {
        final long number;
        final String name;
        final String contentBase64;
        final EnumSet<Stage> stages;
        final Instant timeCreated;
        Instant timeOfDeletion;

        Version(long number, String name, String contentBase64, EnumSet<Stage> stages, Instant timeCreated) {
            this.number = number;
            this.name = name;
            this.contentBase64 = contentBase64;
            this.stages = stages;
            this.timeCreated = timeCreated;
        }
    }

    final String id;
    final String compartmentId;
    final String vaultId;
    final String keyId;
    final String name;
    final Instant timeCreated;
    final List<Version> versions = new ArrayList<>();
    String description;
    Map<String, String> freeformTags = new LinkedHashMap<>();
    Map<String, Object> definedTags = new LinkedHashMap<>();
    Map<String, Object> metadata;
    SecretState state;
    SecretState target;
    Instant transitionEndsAt;
    Instant timeOfDeletion;
    long currentVersion;
    long etag;
    /** A state forced through the admin API; sticky until {@code forcedUntil}. */
    Instant forcedUntil;
    SecretState stateAfterForced;

    EmulatedSecret(String id, String compartmentId, String vaultId, String keyId, String name, Instant timeCreated) {
        this.id = id;
        this.compartmentId = compartmentId;
        this.vaultId = vaultId;
        this.keyId = keyId;
        this.name = name;
        this.timeCreated = timeCreated;
    }

    Version current() {
        return version(currentVersion);
    }

    Version version(long number) {
        for (Version v : versions) {
            if (v.number == number) {
                return v;
            }
        }
        return null;
    }

    long liveVersions() {
        return versions.stream().filter(v -> v.timeOfDeletion == null).count();
    }

    long versionsPendingDeletion() {
        return versions.stream().filter(v -> v.timeOfDeletion != null).count();
    }

    boolean hasVersionNamed(String versionName) {
        return versions.stream().anyMatch(v -> versionName.equals(v.name));
    }

    // ---- lifecycle ----

    /** Starts a transition, or jumps to the target when transitions are immediate. */
    void begin(SecretState transitional, SecretState targetState, Instant now, Transitions transitions) {
        if (transitions.immediate()) {
            state = targetState;
            target = null;
            transitionEndsAt = null;
        } else {
            state = transitional;
            target = targetState;
            transitionEndsAt = now.plusMillis(transitions.millis());
        }
        forcedUntil = null;
    }

    /** Applies whatever the clock says has happened since the secret was last looked at. */
    void settle(Instant now, Transitions transitions) {
        if (forcedUntil != null) {
            if (now.isBefore(forcedUntil)) {
                return;
            }
            state = stateAfterForced;
            forcedUntil = null;
        }
        // A version whose deletion time has come is gone, and no longer counts against any limit.
        versions.removeIf(v -> v.timeOfDeletion != null && !now.isBefore(v.timeOfDeletion));
        if (transitionEndsAt != null && !now.isBefore(transitionEndsAt)) {
            state = target;
            target = null;
            transitionEndsAt = null;
        }
        if (state == SecretState.PENDING_DELETION && timeOfDeletion != null && !now.isBefore(timeOfDeletion)) {
            begin(SecretState.DELETING, SecretState.DELETED, timeOfDeletion, transitions);
            settle(now, transitions);
        }
    }

    /** A state forced through the admin API holds until {@code until}, then the secret settles into {@code then}. */
    void force(SecretState forced, Instant now, Instant until, SecretState then) {
        state = forced;
        transitionEndsAt = null;
        forcedUntil = until;
        stateAfterForced = then;
        if (forced == SecretState.PENDING_DELETION && timeOfDeletion == null) {
            timeOfDeletion = now.plus(java.time.Duration.ofDays(7));
        }
        etag++;
    }

    // ---- version rotation ----

    /** The first version, CURRENT and LATEST. */
    void firstVersion(String versionName, String contentBase64, Instant now) {
        versions.add(new Version(1, versionName, contentBase64, EnumSet.of(Stage.CURRENT, Stage.LATEST), now));
        currentVersion = 1;
    }

    /** A new version becomes LATEST, and either PENDING or CURRENT. */
    void addVersion(String versionName, String contentBase64, boolean pending, Instant now) {
        long number = versions.stream().mapToLong(v -> v.number).max().orElse(0) + 1;
        Version v = new Version(number, versionName, contentBase64, EnumSet.noneOf(Stage.class), now);
        versions.forEach(old -> old.stages.remove(Stage.LATEST));
        v.stages.add(Stage.LATEST);
        versions.add(v);
        if (pending) {
            versions.forEach(old -> old.stages.remove(Stage.PENDING));
            v.stages.add(Stage.PENDING);
        } else {
            promote(v);
        }
    }

    /** Makes {@code v} CURRENT: the old CURRENT becomes PREVIOUS, the old PREVIOUS becomes DEPRECATED. */
    void promote(Version v) {
        Version old = current();
        for (Version x : versions) {
            if (x.stages.remove(Stage.PREVIOUS)) {
                x.stages.add(Stage.DEPRECATED);
            }
        }
        if (old != null && old != v) {
            old.stages.remove(Stage.CURRENT);
            old.stages.add(Stage.PREVIOUS);
        }
        v.stages.remove(Stage.PENDING);
        v.stages.remove(Stage.DEPRECATED);
        v.stages.add(Stage.CURRENT);
        currentVersion = v.number;
    }

    /** Only a DEPRECATED version that holds no other stage may be deleted. */
    static boolean deletable(Version v) {
        return v.stages.contains(Stage.DEPRECATED) && !v.stages.contains(Stage.CURRENT)
                && !v.stages.contains(Stage.PREVIOUS) && !v.stages.contains(Stage.LATEST)
                && !v.stages.contains(Stage.PENDING);
    }

    /** The version a bundle read gets; 404 when the secret cannot be read or the version is gone. */
    Version readable(Long versionNumber, String versionName, String stage) {
        // A secret pending deletion (or gone) cannot be read: ESO #6771 saw 404 for exactly this.
        if (state != SecretState.ACTIVE && state != SecretState.UPDATING && state != SecretState.CREATING) {
            throw OciError.notFound();
        }
        Version v = select(versionNumber, versionName, stage);
        if (v == null || v.timeOfDeletion != null) {
            throw OciError.notFound();
        }
        return v;
    }

    /** The version a bundle read selects: by number, by name, or by stage (CURRENT when nothing is given). */
    private Version select(Long versionNumber, String versionName, String stage) {
        int selectors = (versionNumber != null ? 1 : 0) + (versionName != null ? 1 : 0) + (stage != null ? 1 : 0);
        if (selectors > 1) {
            throw OciError.invalid("Give at most one of versionNumber, secretVersionName and stage.");
        }
        if (versionNumber != null) {
            return version(versionNumber);
        }
        if (versionName != null) {
            return versions.stream().filter(x -> versionName.equals(x.name)).findFirst().orElse(null);
        }
        Stage want;
        try {
            want = stage == null ? Stage.CURRENT : Stage.valueOf(stage.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw OciError.invalid("stage must be one of CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED.");
        }
        return versions.stream().filter(x -> x.stages.contains(want)).findFirst().orElse(null);
    }

    String etag() {
        return Integer.toHexString(id.hashCode()) + "-" + etag;
    }
}
