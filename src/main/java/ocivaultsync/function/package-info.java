/**
 * The function interface (README, 'Calling it'): Funqy functions, request parsing, the {@link
 * ocivaultsync.run.SyncRunner}
 * that wires a run together (config → source → vault → planner → executor → report), and the CDI producers.
 */
package ocivaultsync.function;
