/**
 * The run report: records that say what a run did, per sync and per secret, with their JSON shape (Jackson
 * annotations live here). It may import {@code reconcile} and the JDK; it must never import the OCI SDK, a source,
 * {@code apply} or {@code run}.
 */
package ocivaultsync.report;
