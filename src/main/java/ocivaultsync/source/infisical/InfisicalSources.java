package ocivaultsync.source.infisical;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ocivaultsync.config.InfisicalHosts;
import ocivaultsync.config.InfisicalSourceConfig;
import ocivaultsync.reconcile.Sleeper;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;

/**
 * Opens Infisical sources. One HTTP client and one token per (instance, machine identity) live as long as the
 * container, so a warm function reuses its login across invocations.
 */
public final class InfisicalSources {

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, TokenManager> tokens = new ConcurrentHashMap<>();
    private final long maxAnswerBytes;
    private final InfisicalHosts hosts;

    /** @param hosts the Infisical hosts a source may reach ({@code ovs.infisical.allowed-hosts}) */
    public InfisicalSources(Duration connectTimeout, Duration requestTimeout, Clock clock, InfisicalHosts hosts) {
        this(HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build(), requestTimeout, clock,
                Sleeper.THREAD, hosts);
    }

    InfisicalSources(HttpClient http, Duration requestTimeout, Clock clock, Sleeper sleeper, InfisicalHosts hosts) {
        this(http, requestTimeout, clock, sleeper, InfisicalHttp.DEFAULT_MAX_ANSWER_BYTES, hosts);
    }

    InfisicalSources(HttpClient http, Duration requestTimeout, Clock clock, Sleeper sleeper,
            long maxAnswerBytes, InfisicalHosts hosts) {
        this.maxAnswerBytes = maxAnswerBytes;
        this.hosts = hosts;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * How the client secret the Terraform module creates begins until the operator stores the real one (terraform/
     * secrets.tf): the function refuses to log in with it, naming what to do, instead of sending it to Infisical and
     * reporting Infisical's "invalid credentials".
     */
    public static final String UNSET_CLIENT_SECRET = "oci-vault-sync placeholder:";

    /**
     * @param clientSecret resolves the machine identity's client secret (read from OCI Vault) when a login needs it
     * @param deadline     no wait for a rate limit goes past it
     */
    public SecretSource open(InfisicalSourceConfig config, Supplier<String> clientSecret, Instant deadline) {
        URI base = config.url();
        // The configuration was checked when it was read; a source is never opened past the allowlist either way.
        hosts.refusal(base).ifPresent(why -> {
            throw new SourceException("source.url: " + why);
        });
        InfisicalHttp client = new InfisicalHttp(base, http, requestTimeout, clock, sleeper, maxAnswerBytes, hosts);
        TokenManager tm = tokens.computeIfAbsent(base + "|" + config.auth().clientId(),
                k -> new TokenManager(client, config.auth().clientId(), clock));
        return new InfisicalSource(config, client, tm, clientSecret, deadline);
    }
}
