/**
 * Carrying out a plan: the executor and its thread pool, the adaptive limit, the call counter and the vault port it
 * writes through. It may import {@code reconcile} and {@code report}; it must never import the OCI SDK, {@code oci},
 * a source or {@code function}.
 */
package ocivaultsync.apply;
