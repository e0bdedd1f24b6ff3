package ocivaultsync.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One secret's state inside {@link EmulatedVault}; mutated only under the vault's lock. */
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

    String etag() {
        return Integer.toHexString(id.hashCode()) + "-" + etag;
    }
}
