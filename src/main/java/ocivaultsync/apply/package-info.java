/**
 * Carrying out a plan: the executor and its thread pool, the adaptive limit, the call counter and the vault port it
 * writes through. It may import {@code reconcile} and {@code report}; it must never import the OCI SDK, {@code oci},
 * a source or {@code function} (the port it hands imported values to the source through, {@code ImportSink}, is
 * {@code reconcile}'s).
 */
package ocivaultsync.apply;
