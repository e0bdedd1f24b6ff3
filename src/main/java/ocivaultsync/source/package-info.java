/**
 * Where secrets come from: the {@link ocivaultsync.source.SecretSource} port, with {@code source.file} (YAML or
 * {@code .env}, for local runs) and {@code source.infisical} (the Infisical REST API). A source reads values and,
 * for imports, writes them back; it never logs one.
 */
package ocivaultsync.source;
