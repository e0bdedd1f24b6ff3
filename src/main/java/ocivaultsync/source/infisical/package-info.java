/**
 * Infisical as a source (F1, F3): universal-auth login with a token kept and renewed per container, the v4 list API
 * with imports merged and references expanded server-side, source-integrity checks (hidden values, missing parts fail
 * the run before any write), 429 handling within the run's budget, and batch write-back for imports.
 */
package ocivaultsync.source.infisical;
