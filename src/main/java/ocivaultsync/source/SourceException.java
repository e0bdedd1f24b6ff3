package ocivaultsync.source;

/**
 * The source cannot be read as a whole (unreachable, refused, hidden values, a page or import missing): the sync
 * fails before any write. The message names the source (project, environment, path, file) and never a value.
 */
public class SourceException extends RuntimeException {

    public SourceException(String message) {
        super(message, null, false, false);
    }
}
