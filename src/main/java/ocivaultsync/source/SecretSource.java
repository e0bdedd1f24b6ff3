package ocivaultsync.source;

import ocivaultsync.reconcile.ImportSink;

/** A source of secrets for one sync: read everything, and take imported values back (F3, F9). */
public interface SecretSource extends ImportSink {

    /**
     * Reads every secret the sync covers.
     *
     * @throws SourceException when the source cannot be read completely; a partial read must never look complete
     */
    SourceSnapshot fetch();
}
