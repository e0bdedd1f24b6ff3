package ocivaultsync.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an Infisical server posts its webhooks in a test: a loopback HTTP server that keeps each delivery's exact bytes
 * and headers, so the product can be handed what Infisical really sent.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One delivery: the raw body, the headers (names lower-cased) and when it arrived. */
    record Delivery(byte[] body, Map<String, String> headers, Instant at) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            synchronized (deliveries) {
                deliveries.add(new Delivery(body, headers, Instant.now()));
                deliveries.notifyAll();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The first {@code n} deliveries, waiting up to {@code timeout} for them; fewer if they do not come. */
    List<Delivery> await(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (deliveries.size() < n && System.nanoTime() < end) {
                deliveries.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
