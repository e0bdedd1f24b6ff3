package ocivaultsync.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starting the packaged pieces as their own processes, as a user would. */
final class Processes {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CLASSPATH = "target/quarkus-app/app/*" + File.pathSeparator + "target/quarkus-app/lib/main/*";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The one caller the packaged application lets call sync, plan, import and remove, unless a test says otherwise. */
    static final String OPERATOR = "ocid1.user.oc1..itoperator";

    private Processes() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The standalone emulator; answers once it says it listens. */
    static Process emulator(int port, List<String> flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", CLASSPATH, "ocivaultsync.emulator.Main", "--port",
                String.valueOf(port)));
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("oci-vault-emulator listening")) {
            // start-up output
        }
        if (line == null) {
            throw new IllegalStateException("the emulator did not start");
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    /** The packaged application (fast-jar) with system properties; answers once it serves HTTP. */
    static Process application(int port, Map<String, String> props, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Dquarkus.http.port=" + port));
        if (!props.containsKey("ovs.operator-principal-ids")) {
            cmd.add("-Dovs.operator-principal-ids=" + OPERATOR);
        }
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nothing")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the application did not start");
    }

    /** A POST as the operator (the emulator's admin API ignores the header). */
    static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json").header("oci-subject-id", OPERATOR)
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
