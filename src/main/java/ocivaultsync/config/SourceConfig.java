package ocivaultsync.config;

/** Where a sync reads from. */
public sealed interface SourceConfig permits InfisicalSourceConfig, FileSourceConfig {

    /** The environment slug, the value of {@code {{environment}}} in key schemas. */
    String environment();

    /** A short description for logs and errors, e.g. {@code infisical project 6f1c… env prod path /app}. */
    String describe();
}
