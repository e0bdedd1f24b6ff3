package ocivaultsync.source;

import ocivaultsync.reconcile.SecretValue;

/**
 * One secret of a source.
 *
 * @param origin  where in the source it lives (a folder path, a file), for collision messages
 * @param version the source's version of it, for reports; may be null
 */
public record SourceSecret(String key, SecretValue value, String origin, String version) {
}
