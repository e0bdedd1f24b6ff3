/**
 * The Fn "http-stream" adapter OCI Functions requires (docs/ARCHITECTURE.md, 'Triggers: how each one reaches the
 * function'): a JDK-NIO bridge from the unix socket named by {@code FN_LISTENER} to the loopback HTTP port (Quarkus 3
 * cannot listen on a unix socket in a native image), and the {@code POST /call} route that dispatches to a function and
 * speaks only 200, 502 and 504 on the wire. It knows nothing of syncs: functions are reached through the port
 * {@link ocivaultsync.fn.FnPort}, and its settings are read through {@code ocivaultsync.settings}, which imports
 * nothing of the product.
 */
package ocivaultsync.fn;
