package ocivaultsync.fn;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.settings.FnPlatform;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Bridges the Fn agent's unix socket to the loopback HTTP port with JDK NIO (the same in JVM and native mode). The
 * ritual of the FDKs: bind a temporary name in the socket's folder, chmod it 0666 (the agent may run as another user),
 * then create {@code lsnr.sock} as a relative symlink to it, last, so the agent only sees a socket that is ready.
 * Threads: one acceptor, two pumps per live connection (the agent keeps one).
 */
@ApplicationScoped
public class UnixSocketBridge {

    private static final Logger LOG = Logger.getLogger(UnixSocketBridge.class);
    static final int MAX_SOCKET_PATH = 107;

    @Inject
    FnPlatform platform;

    private volatile ServerSocketChannel server;
    private volatile Path link;
    private volatile Path socket;
    private final AtomicInteger connections = new AtomicInteger();

    /** Under Fn, a missing or bad listener is fatal: the agent would wait for a socket that never comes. */
    void check(@Observes StartupEvent event) {
        Optional<String> format = platform.format();
        Optional<String> listener = platform.listener();
        if (format.filter("http-stream"::equals).isPresent() && parse(listener.orElse("")).isEmpty()) {
            LOG.errorf("FN_FORMAT is http-stream but FN_LISTENER (%s) is not unix:/<path> of at most %d bytes",
                    listener.orElse("unset"), MAX_SOCKET_PATH);
            Quarkus.asyncExit(1);
        }
    }

    /** The loopback port listens now (a StartupEvent fires before it does). */
    void start(@ObservesAsync HttpServerStart event) {
        Optional<Path> target = platform.listener().flatMap(UnixSocketBridge::parse);
        if (target.isEmpty()) {
            return;
        }
        try {
            int port = port(event);
            bind(target.get(), port);
            LOG.infof("Fn listener %s bridged to 127.0.0.1:%d", target.get(), port);
        } catch (Throwable t) {
            LOG.errorf("cannot listen on %s: %s", target.get(), t.toString());
            Quarkus.asyncExit(1);
        }
    }

    static Optional<Path> parse(String listener) {
        if (!listener.startsWith("unix:/")) {
            return Optional.empty();
        }
        String path = listener.substring("unix:".length());
        return path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH ? Optional.empty()
                : Optional.of(Path.of(path));
    }

    private static int port(HttpServerStart event) {
        int configured = event.options().getPort();
        if (configured > 0) {
            return configured;
        }
        // A random port (port 0): Quarkus records the one it got as a system property of its launch mode.
        String property = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST
                ? "quarkus.http.test-port" : "quarkus.http.port";
        String actual = System.getProperty(property);
        if (actual != null && Integer.parseInt(actual) > 0) {
            return Integer.parseInt(actual);
        }
        return ConfigProvider.getConfig().getOptionalValue(property, Integer.class).filter(p -> p > 0).orElse(8080);
    }

    void bind(Path lsnr, int port) throws IOException {
        Path dir = lsnr.toAbsolutePath().getParent();
        String tmpName = randomName() + ".sock";
        Path tmp = dir.resolve(tmpName);
        ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ssc.bind(UnixDomainSocketAddress.of(tmp));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.deleteIfExists(lsnr);
        Files.createSymbolicLink(lsnr, Path.of(tmpName));
        this.server = ssc;
        this.socket = tmp;
        this.link = lsnr;
        Thread acceptor = new Thread(() -> accept(ssc, port), "fn-uds-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocketChannel ssc, int port) {
        while (ssc.isOpen()) {
            SocketChannel uds;
            try {
                uds = ssc.accept();
            } catch (IOException e) {
                return; // closed on shutdown
            }
            int n = connections.incrementAndGet();
            try {
                SocketChannel tcp = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
                pump("fn-uds-in-" + n, uds, tcp, true);
                pump("fn-uds-out-" + n, tcp, uds, false);
            } catch (IOException e) {
                LOG.errorf("cannot reach the loopback port %d: %s", port, e.toString());
                close(uds);
            }
        }
    }

    /**
     * Copies bytes one way. Agent → app: on end of input, half-close the app side (the agent may still read). App →
     * agent: on end of input the app closed, so close both; any error closes both.
     */
    private static void pump(String name, SocketChannel from, SocketChannel to, boolean halfClose) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
                if (halfClose) {
                    to.shutdownOutput();
                    return;
                }
            } catch (IOException e) {
                // the peer went away: fall through and close both
            }
            close(from);
            close(to);
        }, name);
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            if (server != null) {
                server.close();
            }
            if (link != null) {
                Files.deleteIfExists(link);
            }
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            LOG.debugf("cleanup of the Fn socket: %s", e.toString());
        }
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static String randomName() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
