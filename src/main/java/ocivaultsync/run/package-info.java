/**
 * One sync run, wired together: the {@code SyncRunner} and its passes, the run log, and the factories that open a
 * source and a vault. It may import {@code config}, {@code reconcile}, {@code report}, {@code apply}, {@code source}
 * and {@code oci}; it must never import {@code function}, {@code trigger}, {@code fn} or {@code emulator}.
 */
package ocivaultsync.run;
