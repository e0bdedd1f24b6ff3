/**
 * Dev-mode wiring only: starts the embedded emulator for {@code quarkus:dev}. It may import {@code emulator} and
 * {@code config}; nothing else of the product may import this package.
 */
package ocivaultsync.dev;
