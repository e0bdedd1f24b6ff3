package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the native build is given, checked without GraalVM: verify runs Quarkus's native build steps in sources-only
 * mode (the {@code native-sources} execution in pom.xml, the same as {@code ./mvnw package -Dnative
 * -Dquarkus.native.sources-only=true}), and this reads the result: the arguments native-image would get and the
 * reachability metadata in the jar it would compile. It holds what docs/DEPLOY.md promises under "The native image".
 */
class NativeSourcesIT {

    static final Path SOURCES = Path.of("target/native-check/native-sources");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON types of the answers (Jackson reads them by reflection; see function.Producers). */
    static final Set<String> REPORT_TYPES = Set.of("report.RunReport", "report.SyncReport", "report.SecretResult",
            "report.Counts", "report.RetryInfo", "report.OciCalls", "report.Trigger", "report.SyncStatus",
            "reconcile.Action", "reconcile.ResultStatus");

    @Test
    void theNativeBuildGetsHttpsAndTheReportTypesAndNoNativeTransport() throws IOException {
        String args = Files.readString(SOURCES.resolve("native-image.args"));
        assertTrue(List.of(args.split("\\s+")).contains("--enable-url-protocols=http,https"),
                "HTTPS for the OCI SDK and Infisical: " + args);
        assertTrue(args.contains("--no-fallback"), "a real native image, never a JVM fallback");

        Path runner;
        try (Stream<Path> jars = Files.list(SOURCES)) {
            runner = jars.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        Set<String> registered = new TreeSet<>();
        Set<String> withMethods = new TreeSet<>();
        String jni;
        try (ZipFile zip = new ZipFile(runner.toFile())) {
            JsonNode reflect = JSON.readTree(zip.getInputStream(zip.getEntry("META-INF/native-image/reflect-config.json")));
            reflect.forEach(e -> registered.add(e.path("name").asText()));
            reflect.forEach(e -> {
                if (e.path("allDeclaredMethods").asBoolean()) {
                    withMethods.add(e.path("name").asText());
                }
            });
            jni = new String(zip.getInputStream(zip.getEntry("META-INF/native-image/jni-config.json")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        Set<String> missing = new TreeSet<>();
        for (String type : REPORT_TYPES) {
            if (!registered.contains("ocivaultsync." + type)) {
                missing.add(type);
            }
        }
        assertEquals(Set.of(), missing, "report types not registered for reflection");
        // settings.EnvironmentSettings reads the names of our settings from the mapping Quarkus generated (its static
        // getProperties()), as Quarkus's own configuration does at run time: the native image must keep its methods.
        assertTrue(withMethods.contains("ocivaultsync.settings.OvsSettings$$CMImpl"),
                "the settings mapping's generated class keeps its methods: " + withMethods);

        // Quarkus 3 cannot listen on a unix socket in a native image; the Fn adapter bridges it with JDK NIO instead
        // (docs/ARCHITECTURE.md, "Triggers: how each one reaches the function"), so no native transport may come along.
        List<String> transports = new ArrayList<>();
        try (Stream<Path> lib = Files.walk(SOURCES.resolve("lib"))) {
            lib.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("native-epoll") || n.contains("native-kqueue") || n.contains("io_uring"))
                    .forEach(transports::add);
        }
        assertEquals(List.of(), transports, "native transports in the native build's class path");
        for (String marker : List.of("epoll", "kqueue", "domain-socket", "prefer-native-transport")) {
            assertTrue(!args.contains(marker) && !jni.contains(marker), marker + " in the native build's input");
        }
    }

    /**
     * The metrics' SDK module goes into the native build with its own reachability metadata: PostMetricData's request
     * and answer models are registered for the reflection its JSON mapping needs (our metrics types need none).
     */
    @Test
    void theMonitoringModuleCarriesItsReflectionConfigIntoTheNativeBuild() throws IOException {
        Path jar;
        try (Stream<Path> lib = Files.walk(SOURCES.resolve("lib"))) {
            jar = lib.filter(p -> p.getFileName().toString().contains("oci-java-sdk-monitoring-")).findFirst()
                    .orElseThrow(() -> new AssertionError("oci-java-sdk-monitoring is not in the native build"));
        }
        Set<String> registered = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            JsonNode reflect = JSON.readTree(zip.getInputStream(zip.getEntry(
                    "META-INF/native-image/com.oracle.oci.sdk/oci-java-sdk-monitoring/reflect-config.json")));
            reflect.forEach(e -> registered.add(e.path("name").asText()));
        }
        for (String model : List.of("PostMetricDataDetails", "MetricDataDetails", "Datapoint",
                "PostMetricDataResponseDetails", "FailedMetricRecord")) {
            assertTrue(registered.contains("com.oracle.bmc.monitoring.model." + model), model);
        }
    }
}
