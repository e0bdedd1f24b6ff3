/**
 * Benchmarks: they print figures and assert nothing timed; they run only with {@code -Pbench}. They may import any
 * package of the product and its test fixtures; no product or test code may import them.
 */
package ocivaultsync.bench;
