/**
 * A stateful emulator of the OCI Vault, Secrets, KMS and Functions-invoke APIs the product calls, faithful enough
 * that the real OCI Java SDK runs against it unchanged (docs/EMULATOR.md). Plain Java on Vert.x, no CDI: it runs as a
 * JUnit
 * extension, as the {@code quarkus:dev} dev service and standalone ({@link ocivaultsync.emulator.Main}).
 *
 * <p>Split as Moto splits its services: {@link ocivaultsync.emulator.EmulatedVault} is the state model with the
 * business rules (names, limits), {@link ocivaultsync.emulator.EmulatedSecret} one secret's lifecycle,
 * {@link ocivaultsync.emulator.EmulatorServer} the thin HTTP layer (with {@link ocivaultsync.emulator.Requests} parsing,
 * {@link ocivaultsync.emulator.OciJson} the answers' shapes and {@link ocivaultsync.emulator.AdminApi} the admin API),
 * and {@link ocivaultsync.emulator.OciError} the errors, each carrying OCI's status and code. It depends on no other
 * package of the product, so it stays an independent referee of what the product does.
 */
package ocivaultsync.emulator;
