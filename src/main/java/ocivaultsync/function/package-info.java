/**
 * The function interface (README, 'Calling it'): the Funqy entry points, request parsing, the answers to refusals,
 * the binding to the Fn adapter, and the CDI producers that wire the plain-Java packages below together
 * (docs/ARCHITECTURE.md, 'Packages'). A run itself lives in {@code run}; what starts one, in {@code trigger}.
 */
package ocivaultsync.function;
