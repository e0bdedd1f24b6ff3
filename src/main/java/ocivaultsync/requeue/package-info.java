/**
 * Re-running a sync later when something was deferred (README, 'Calling it'): the {@link
 * ocivaultsync.requeue.Requeuer} port, a
 * detached self-invocation through the Functions invoke API on OCI, and an in-process timer for local runs. The
 * scheduled run is the safety net behind both.
 */
package ocivaultsync.requeue;
