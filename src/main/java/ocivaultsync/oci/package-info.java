/**
 * The OCI adapter: authentication (resource principal, instance principal, API key), SDK clients built once per
 * container, the {@link ocivaultsync.oci.OciVault} implementation of the core's vault port, and the resolver of
 * {@code {secretId: ...}} references. Every SDK error is classified in one place ({@link ocivaultsync.oci.OciErrors}).
 */
package ocivaultsync.oci;
