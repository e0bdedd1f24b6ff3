/**
 * The sync configuration (docs/CONFIGURATION.md, 'The configuration document'): the model as records, loading from
 * {@code OVS_CONFIG}, {@code OVS_CONFIG_FILE} or {@code OVS_CONFIG_SECRET_ID}, and validation that runs before any
 * call and names the field of every error.
 *
 * <p>It uses the functional core's types ({@code KeySchema}, {@code InitialSyncBehavior}, {@code DeletionGuard}) so
 * the rules that define a valid schema or guard live in one place.
 */
package ocivaultsync.config;
