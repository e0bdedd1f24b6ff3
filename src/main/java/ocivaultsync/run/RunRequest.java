package ocivaultsync.run;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.report.Trigger;

/**
 * One run, whatever started it.
 *
 * @param sync          one sync by name, or all of them
 * @param origin        what started the work this run does: the trigger itself, or for a retry or hand-off the trigger
 *                      of the run it continues (an automatic origin runs only syncs with auto-sync on)
 * @param deepSecretIds per sync, secrets to check deeply (an OCI event on them)
 * @param retryAttempt  the attempt number when this run is a retry, else 0
 * @param deadline      when the run must have stopped starting calls (an Fn call's deadline, or now + budget)
 * @param since         when the run that started this chain began: a retry carries it on, a new run gets the
 *                      time it starts (null until then, or when an old retry body does not say)
 * @param operation     a sync pass, an import or a removal
 */
public record RunRequest(Optional<String> sync, Trigger trigger, Trigger origin, boolean dryRun, Verify verify,
        boolean force, boolean verbose, Map<String, Set<String>> deepSecretIds, int retryAttempt,
        Optional<Instant> deadline, Operation operation, Instant since) {

    /** Without a chain start: a new run (its chain starts when it runs) or an old retry body. */
    public RunRequest(Optional<String> sync, Trigger trigger, Trigger origin, boolean dryRun, Verify verify,
            boolean force, boolean verbose, Map<String, Set<String>> deepSecretIds, int retryAttempt,
            Optional<Instant> deadline, Operation operation) {
        this(sync, trigger, origin, dryRun, verify, force, verbose, deepSecretIds, retryAttempt, deadline, operation,
                null);
    }

    public RunRequest {
        deepSecretIds = deepSecretIds == null ? Map.of() : Map.copyOf(deepSecretIds);
    }

    public static RunRequest manual(String sync, boolean dryRun) {
        return new RunRequest(Optional.ofNullable(sync), Trigger.MANUAL, Trigger.MANUAL, dryRun, Verify.FAST, false,
                false, Map.of(), 0, Optional.empty(), Operation.SYNC);
    }

    public RunRequest withVerify(Verify v) {
        return new RunRequest(sync, trigger, origin, dryRun, v, force, verbose, deepSecretIds, retryAttempt, deadline,
                operation, since);
    }

    public RunRequest withForce(boolean f) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, f, verbose, deepSecretIds, retryAttempt, deadline,
                operation, since);
    }

    public RunRequest withVerbose(boolean v) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, v, deepSecretIds, retryAttempt, deadline,
                operation, since);
    }

    /** Another trigger, which is also the origin. */
    public RunRequest withTrigger(Trigger t) {
        return new RunRequest(sync, t, t, dryRun, verify, force, verbose, deepSecretIds, retryAttempt, deadline,
                operation, since);
    }

    /** The trigger of the run this one continues. */
    public RunRequest withOrigin(Trigger o) {
        return new RunRequest(sync, trigger, o, dryRun, verify, force, verbose, deepSecretIds, retryAttempt, deadline,
                operation, since);
    }

    public RunRequest withOperation(Operation op) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, verbose, deepSecretIds, retryAttempt,
                deadline, op, since);
    }

    public RunRequest withRetryAttempt(int attempt) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, verbose, deepSecretIds, attempt, deadline,
                operation, since);
    }

    public RunRequest withDeepSecretIds(Map<String, Set<String>> ids) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, verbose, ids, retryAttempt, deadline,
                operation, since);
    }

    public RunRequest withSince(Instant s) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, verbose, deepSecretIds, retryAttempt,
                deadline, operation, s);
    }

    public RunRequest withDeadline(Instant d) {
        return new RunRequest(sync, trigger, origin, dryRun, verify, force, verbose, deepSecretIds, retryAttempt,
                Optional.ofNullable(d), operation, since);
    }

    /** The work of this request on one sync, as a retry or hand-off carries it (attempt and time set by the caller). */
    public ocivaultsync.requeue.RetryMessage work(String syncName) {
        return new ocivaultsync.requeue.RetryMessage(syncName, operation, origin, force, verify, verbose,
                deepSecretIds.getOrDefault(syncName, Set.of()), retryAttempt, Instant.EPOCH, since);
    }

    /** Whether this run continues deferred work (a retry or a hand-off) rather than starting new work. */
    public boolean continues() {
        return trigger == Trigger.RETRY;
    }
}
