/**
 * What starts a run: OCI events, Infisical webhooks (IAM-invoked, or through API Gateway, where only a verified
 * webhook gets past the door) with their verifier, the schedule and retries, each turned into a run request for
 * {@code run}. It may import every package below it (docs/ARCHITECTURE.md, 'Packages'); it must never import
 * {@code function}, {@code fn}, {@code dev} or {@code emulator}.
 */
package ocivaultsync.trigger;
