package ocivaultsync.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The emulator as an object: start it, point OCI SDK clients at {@link #endpoint()}, drive it through the admin
 * methods (the same operations as the {@code /_emulator} HTTP API), stop it.
 */
public final class OciVaultEmulator implements AutoCloseable {

    private final EmulatorOptions options;
    private final EmulatorClock clock;
    private final EmulatedVault vault;
    private final RequestSigner signer;
    private final Faults faults;
    private final CallCounts calls = new CallCounts();
    private final Invocations invocations = new Invocations();
    private final ReceivedMetrics metrics = new ReceivedMetrics();
    private Vertx vertx;
    private EmulatorServer server;
    private int port;

    public OciVaultEmulator(EmulatorOptions options) {
        this.options = options;
        this.clock = new EmulatorClock(Clock.systemUTC());
        this.vault = new EmulatedVault(EmulatedVault.Identity.defaults(), clock, options);
        this.signer = new RequestSigner(Clock.systemUTC());
        this.faults = new Faults(options.seed());
    }

    /** Starts listening; answers the port. */
    public synchronized int start() {
        if (vertx != null) {
            return port;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
        server = new EmulatorServer(vertx, this);
        try {
            port = server.start();
        } catch (RuntimeException e) {
            vertx.close();
            vertx = null;
            throw e;
        }
        return port;
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            server.stop();
            vertx.close();
            vertx = null;
        }
    }

    public String endpoint() {
        return "http://" + options.host() + ":" + port;
    }

    public int port() {
        return port;
    }

    public Map<String, Object> info() {
        var id = vault.identity();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenancyId", id.tenancyId());
        m.put("compartmentId", id.compartmentId());
        m.put("vaultId", id.vaultId());
        m.put("keyId", id.keyId());
        m.put("region", id.region());
        m.put("endpoint", endpoint());
        return m;
    }

    /** Drops every secret, fault, counter, invocation and metric; keeps the vault, the key and the trusted keys. */
    public void reset() {
        vault.reset();
        faults.clear();
        calls.reset();
        invocations.clear();
        metrics.clear();
    }

    public EmulatorOptions options() {
        return options;
    }

    public EmulatedVault vault() {
        return vault;
    }

    public RequestSigner signer() {
        return signer;
    }

    public Faults faults() {
        return faults;
    }

    public CallCounts calls() {
        return calls;
    }

    public Invocations invocations() {
        return invocations;
    }

    /** The metrics PostMetricData accepted. */
    public ReceivedMetrics metrics() {
        return metrics;
    }

    public EmulatorClock clock() {
        return clock;
    }
}
