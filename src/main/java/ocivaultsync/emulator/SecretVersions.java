package ocivaultsync.emulator;

import static ocivaultsync.emulator.SecretRules.MAX_DELETION;
import static ocivaultsync.emulator.SecretRules.MIN_DELETION;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The version operations of one secret and their rules: ListSecretVersions, GetSecretVersion,
 * ScheduleSecretVersionDeletion and CancelSecretVersionDeletion (docs/EMULATOR.md, "The OCI API it serves", the
 * Versions rule). {@link EmulatedVault} finds the secret, checks its etag and holds the lock; this class decides what
 * the operation does to it.
 */
final class SecretVersions {

    private final EmulatorOptions options;

    SecretVersions(EmulatorOptions options) {
        this.options = options;
    }

    EmulatedVault.Page list(EmulatedSecret s, Integer limit, int offset, boolean descending) {
        Comparator<EmulatedSecret.Version> byNumber = Comparator.comparingLong(v -> v.number);
        List<EmulatedSecret.Version> vs = new ArrayList<>(s.versions);
        vs.sort(descending ? byNumber.reversed() : byNumber);
        int size = limit == null ? options.pageSize() : limit;
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < Math.min(vs.size(), offset + size); i++) {
            items.add(OciJson.version(s, vs.get(i), true));
        }
        return new EmulatedVault.Page(items, offset + size < vs.size() ? offset + size : null);
    }

    Map<String, Object> get(EmulatedSecret s, long number) {
        return OciJson.version(s, existing(s, number), false);
    }

    /**
     * Only a DEPRECATED version (OCI refuses CURRENT, PREVIOUS, LATEST and PENDING), with the same 1-30 day window as a
     * secret, and only while the secret is ACTIVE.
     */
    String scheduleDeletion(EmulatedSecret s, long number, Instant timeOfDeletion, Instant now) {
        if (s.state != SecretState.ACTIVE) {
            // As UpdateSecret and ScheduleSecretDeletion do: a secret still UPDATING after a new version refuses it.
            throw OciError.incorrectState("The secret is in state " + s.state + "; it must be ACTIVE to schedule the "
                    + "deletion of a version.");
        }
        EmulatedSecret.Version v = existing(s, number);
        Instant when = timeOfDeletion == null ? now.plus(MAX_DELETION) : timeOfDeletion;
        if (when.isBefore(now.plus(MIN_DELETION).minusSeconds(60)) || when.isAfter(now.plus(MAX_DELETION).plusSeconds(60))) {
            throw OciError.invalid("timeOfDeletion must be between 1 and 30 days from now.");
        }
        if (!EmulatedSecret.deletable(v)) {
            throw OciError.incorrectState("Version " + number + " is " + v.stages + "; only a DEPRECATED version can be "
                    + "scheduled for deletion.");
        }
        if (v.timeOfDeletion != null) {
            throw OciError.incorrectState("Version " + number + " is already pending deletion.");
        }
        if (s.versionsPendingDeletion() >= options.maxVersions()) {
            throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                    + " versions pending deletion.");
        }
        v.timeOfDeletion = when;
        s.etag++;
        return s.etag();
    }

    /** A version pending deletion is in use again, if the secret has room for it. */
    String cancelDeletion(EmulatedSecret s, long number) {
        EmulatedSecret.Version v = existing(s, number);
        if (v.timeOfDeletion == null) {
            throw OciError.incorrectState("Version " + number + " is not pending deletion.");
        }
        if (s.liveVersions() >= options.maxVersions()) {
            throw OciError.limitExceeded("The secret has reached its limit of " + options.maxVersions()
                    + " versions; delete deprecated versions first.");
        }
        v.timeOfDeletion = null;
        s.etag++;
        return s.etag();
    }

    private static EmulatedSecret.Version existing(EmulatedSecret s, long number) {
        EmulatedSecret.Version v = s.version(number);
        if (v == null) {
            throw OciError.notFound();
        }
        return v;
    }
}
