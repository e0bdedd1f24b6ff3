/**
 * Dev-mode wiring only: starts the embedded emulator for {@code quarkus:dev}. It may import {@code emulator} and
 * {@code settings} (the emulator's port); nothing else of the product may import this package.
 */
package ocivaultsync.dev;
