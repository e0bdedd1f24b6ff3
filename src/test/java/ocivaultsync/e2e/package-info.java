/**
 * End-to-end suites: the product wired as production wires it ({@link ocivaultsync.e2e.Harness}), the real OCI SDK
 * against the emulator, the Infisical test server over HTTP. They live outside the product's packages so they can
 * reach only its public API, as a caller does.
 */
package ocivaultsync.e2e;
