package ocivaultsync.function;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import ocivaultsync.oci.OciClients;
import ocivaultsync.settings.OvsSettings;
import org.jboss.logging.Logger;

/**
 * Builds the OCI SDK clients while the container starts, on a thread of its own, so the first invocation (which OCI
 * Functions sends as soon as the container listens) finds them ready instead of paying the SDK's start-up itself. The
 * request path still works without it: it blocks on a client that is being built, or builds it.
 */
@ApplicationScoped
public class ClientWarmUp {

    private static final Logger LOG = Logger.getLogger(ClientWarmUp.class);

    void start(@Observes StartupEvent event, OvsSettings settings, OciClients clients) {
        if (!settings.oci().warmUp()) {
            return;
        }
        Thread t = new Thread(() -> {
            long started = System.nanoTime();
            String done = clients.warmUp();
            LOG.debugf("OCI clients warmed up in %d ms: %s", (System.nanoTime() - started) / 1_000_000, done);
        }, "ovs-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
