package ocivaultsync.function;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ocivaultsync.config.ConfigHolder;
import ocivaultsync.oci.OciClients;
import ocivaultsync.settings.OvsSettings;
import org.jboss.logging.Logger;

/**
 * Pays the first request's one-off costs while the container starts, before it listens: OCI Functions sends the first
 * invocation the moment the container listens (the HTTP port, and the Fn agent's socket which is bridged to it only
 * once the port listens), so work still running then would be paid by that invocation. The SDK's clients and request
 * path are warmed on a thread of their own, started first among the start-up observers, while this thread reads a
 * local configuration (parsing it loads the YAML and validation classes); the last start-up observer then waits for
 * the SDK's half, for at most {@link #MAX_WAIT}, so the port opens with both done. A warm-up that fails or is slow
 * never stops the start-up: the request path builds whatever is missing, and reports its errors, itself.
 */
@ApplicationScoped
public class ClientWarmUp {

    private static final Logger LOG = Logger.getLogger(ClientWarmUp.class);
    /** Bounds the wait: the SDK's start-up takes about 3 s on a loaded CPU; Fn gives a new container far longer. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private volatile CompletableFuture<String> sdk;
    private volatile long startedNanos;

    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event, OvsSettings settings,
            OciClients clients, ConfigHolder config) {
        if (!settings.oci().warmUp()) {
            return;
        }
        startedNanos = System.nanoTime();
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(clients.warmUp());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "ovs-warm-up");
        t.setDaemon(true);
        t.start();
        sdk = f;
        // A configuration kept in OCI Vault is not read here: that would be a call to OCI on every start.
        if (settings.configSecretId().isEmpty()) {
            try {
                config.get();
            } catch (RuntimeException e) {
                // the first request reads it again and reports what is wrong (the message may quote the file)
                LOG.debugf("configuration not pre-read: %s", e.getClass().getSimpleName());
            }
        }
    }

    void await(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event) {
        CompletableFuture<String> f = sdk;
        if (f == null) {
            return;
        }
        try {
            String done = f.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debugf("warmed up in %d ms: %s, configuration", (System.nanoTime() - startedNanos) / 1_000_000, done);
        } catch (TimeoutException e) {
            LOG.warnf("the OCI SDK warm-up took longer than %d s; listening without waiting for it",
                    MAX_WAIT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warnf("the OCI SDK warm-up failed (%s); the first request builds the clients",
                    e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
