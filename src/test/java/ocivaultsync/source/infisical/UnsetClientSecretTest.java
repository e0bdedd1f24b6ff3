package ocivaultsync.source.infisical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Clock;
import ocivaultsync.config.ConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.config.SecretRef;
import ocivaultsync.source.SourceException;
import org.junit.jupiter.api.Test;

/**
 * The client secret the Terraform module creates holds a placeholder until the operator stores the real one: the
 * source says so, and sends Infisical nothing.
 */
class UnsetClientSecretTest {

    @Test
    void thePlaceholderIsNeverSentAndTheSyncSaysWhatToDo() throws Exception {
        try (InfisicalTestServer server = new InfisicalTestServer().identity("machine-id", "secret")) {
            server.put("p", "prod", "/", "KEY", "value");
            var cfg = new InfisicalSourceConfig(URI.create(server.url()), "p", "prod", "/", false, true,
                    new InfisicalSourceConfig.InfisicalAuth("machine-id", new SecretRef.VaultSecret(
                            "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaacs")), Optional.empty());
            String placeholder = InfisicalSources.UNSET_CLIENT_SECRET + " store the Infisical machine identity's "
                    + "client secret as a new version of this secret";
            SourceException e = assertThrows(SourceException.class, () -> new InfisicalSources(Duration.ofSeconds(2),
                    Duration.ofSeconds(5), Clock.systemUTC(), ConfigBuilder.TEST_HOSTS).open(cfg, () -> placeholder,
                            Instant.now().plusSeconds(30)).fetch());
            assertEquals("the client secret of machine identity machine-id is still the placeholder the Terraform "
                    + "module stored: store the identity's client secret as a new version of that secret (the "
                    + "module's output infisical_client_secret_id; docs/DEPLOY.md)", e.getMessage());
            assertEquals(List.of(), server.requests(), "nothing reached Infisical");

            // Once the operator stored the real one, the same sync logs in.
            assertEquals(1, new InfisicalSources(Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC(),
                    ConfigBuilder.TEST_HOSTS).open(cfg, () -> "secret", Instant.now().plusSeconds(30)).fetch().secrets().size());
        }
    }
}
