/**
 * The functional core: the reconcile rules of docs/ARCHITECTURE.md, 'Reconcile rules' as plain Java.
 *
 * <p>Nothing here performs I/O or imports the OCI SDK, an HTTP client or CDI; the shell reads the source and the vault,
 * hands this package plain values (fingerprints, never secret values) and carries out the {@link
 * ocivaultsync.reconcile.Plan} it gets back. That is what lets the rules be tested exhaustively as tables. This package
 * depends on no other package of the product; {@code config} builds on its types.
 */
package ocivaultsync.reconcile;
