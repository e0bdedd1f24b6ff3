/**
 * What starts a run: OCI events, Infisical webhooks with their verifier, the schedule and retries, each turned into
 * a run request. It may import {@code run}, {@code config}, {@code report} and {@code reconcile}; it must never
 * import the OCI SDK, {@code oci}, {@code fn} or {@code emulator}.
 */
package ocivaultsync.trigger;
