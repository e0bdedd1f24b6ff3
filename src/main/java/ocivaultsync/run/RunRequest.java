package ocivaultsync.run;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;
import ocivaultsync.requeue.Nudge;

/**
 * One run, whatever started it. Only a manual call names an operation: it records that intent in OCI before anything
 * else; every other run (a schedule, an event, a webhook, a nudge) reconciles toward the intent recorded there.
 *
 * @param sync          one sync by name, or all of them
 * @param operation     the manual operation (sync, import or remove); empty for every automatic run
 * @param force         a manual sync's approval of the deletions the guard withholds
 * @param deepSecretIds per sync, secrets to check deeply (an OCI event on them)
 * @param attempt       a nudge's attempt (0 for a hand-off); 0 for every other run
 * @param deadline      when the run must have stopped starting calls (an Fn call's deadline, or now + budget)
 */
public record RunRequest(Optional<String> sync, Trigger trigger, Optional<Operation> operation, boolean dryRun,
        Verify verify, boolean force, boolean verbose, Map<String, Set<String>> deepSecretIds, int attempt,
        Optional<Instant> deadline) {

    public RunRequest {
        deepSecretIds = deepSecretIds == null ? Map.of() : Map.copyOf(deepSecretIds);
    }

    /** A manual operation on one sync, or on all of them when {@code sync} is null. */
    public static RunRequest manual(String sync, Operation op, boolean dryRun) {
        return new RunRequest(Optional.ofNullable(sync), Trigger.MANUAL, Optional.of(op), dryRun, Verify.FAST, false,
                false, Map.of(), 0, Optional.empty());
    }

    /** A manual sync of one sync, or of all. */
    public static RunRequest manual(String sync, boolean dryRun) {
        return manual(sync, Operation.SYNC, dryRun);
    }

    /** A schedule, an OCI event or a webhook: a fast pass toward the recorded intent of every sync it concerns. */
    public static RunRequest automatic(Trigger trigger) {
        return new RunRequest(Optional.empty(), trigger, Optional.empty(), false, Verify.FAST, false, false, Map.of(),
                0, Optional.empty());
    }

    /** A nudge: reconcile its sync again. */
    public static RunRequest of(Nudge n) {
        return new RunRequest(Optional.of(n.sync()), Trigger.RETRY, Optional.empty(), false, Verify.FAST, false,
                false, n.deepSecretIds().isEmpty() ? Map.of() : Map.of(n.sync(), n.deepSecretIds()), n.attempt(),
                Optional.empty());
    }

    public RunRequest withSync(String name) {
        return new RunRequest(Optional.ofNullable(name), trigger, operation, dryRun, verify, force, verbose,
                deepSecretIds, attempt, deadline);
    }

    public RunRequest withVerify(Verify v) {
        return new RunRequest(sync, trigger, operation, dryRun, v, force, verbose, deepSecretIds, attempt, deadline);
    }

    public RunRequest withForce(boolean f) {
        return new RunRequest(sync, trigger, operation, dryRun, verify, f, verbose, deepSecretIds, attempt, deadline);
    }

    public RunRequest withVerbose(boolean v) {
        return new RunRequest(sync, trigger, operation, dryRun, verify, force, v, deepSecretIds, attempt, deadline);
    }

    public RunRequest withDeepSecretIds(Map<String, Set<String>> ids) {
        return new RunRequest(sync, trigger, operation, dryRun, verify, force, verbose, ids, attempt, deadline);
    }

    public RunRequest withDeadline(Instant d) {
        return new RunRequest(sync, trigger, operation, dryRun, verify, force, verbose, deepSecretIds, attempt,
                Optional.ofNullable(d));
    }

    public boolean isManual() {
        return operation.isPresent();
    }

    /** A retry or a hand-off: this product's own nudge to reconcile a sync again. */
    public boolean isNudge() {
        return trigger == Trigger.RETRY;
    }

    /** The deep-check ids of one sync. */
    Set<String> deepIds(String syncName) {
        return deepSecretIds.getOrDefault(syncName, Set.of());
    }
}
