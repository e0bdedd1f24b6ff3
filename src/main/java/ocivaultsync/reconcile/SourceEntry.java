package ocivaultsync.reconcile;

/**
 * One secret as the source has it, reduced to what the planner may see: never the value, only its fingerprint and
 * size.
 *
 * @param key           the source key
 * @param fingerprint   the value's fingerprint under the current key; {@code null} when the value is empty
 * @param sizeBytes     the value's size in bytes (UTF-8); 0 when empty
 * @param origin        where it came from (a folder path, a file), for messages about collisions
 * @param sourceVersion the source's version of the secret, for reports; may be {@code null}
 */
public record SourceEntry(String key, Fingerprint fingerprint, int sizeBytes, String origin, String sourceVersion) {

    public boolean isEmpty() {
        return sizeBytes == 0;
    }
}
