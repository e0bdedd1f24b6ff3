package ocivaultsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The software bill of materials that {@code ./mvnw package} makes (cyclonedx-maven-plugin, pom.xml): CycloneDX JSON
 * listing every library the packaged function carries, each by name, version, purl and SHA-256, and none of the test
 * libraries.
 */
class SbomIT {

    static final Path BOM = Path.of("target/bom.json");

    @Test
    void theSbomListsEveryPackagedLibraryWithItsVersionAndHash() throws IOException {
        assertTrue(java.nio.file.Files.isRegularFile(BOM), BOM + " is missing: cyclonedx-maven-plugin skips it when Maven "
                + "runs offline (-o); run ./mvnw -B verify online");
        JsonNode bom = new ObjectMapper().readTree(BOM.toFile());
        assertEquals("CycloneDX", bom.path("bomFormat").asText());
        assertEquals("oci-vault-sync", bom.path("metadata").path("component").path("name").asText());
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode c : bom.path("components")) {
            byName.put(c.path("group").asText() + ":" + c.path("name").asText(), c);
            assertFalse(c.path("version").asText().isEmpty(), "a version for " + c.path("name"));
            assertTrue(c.path("purl").asText().startsWith("pkg:maven/"), "a purl for " + c.path("name"));
            assertTrue(c.path("hashes").findValuesAsText("alg").contains("SHA-256"), "a SHA-256 for "
                    + c.path("name"));
        }
        assertEquals("3.55.1", byName.get("com.oracle.oci.sdk:oci-java-sdk-secrets").path("version").asText());
        assertEquals("3.33.2", byName.get("io.quarkus:quarkus-core").path("version").asText());
        for (String test : Set.of("io.quarkus:quarkus-junit", "io.rest-assured:rest-assured",
                "com.bertramlabs.plugins:hcl4j")) {
            assertFalse(byName.containsKey(test), "no test library: " + test);
        }
        // Every jar the packaged function loads is in the bill.
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> jars = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(n -> {
                String groupAndArtifact = n.substring(0, n.lastIndexOf('-', n.length() - 5));
                boolean listed = byName.keySet().stream().anyMatch(k -> groupAndArtifact.startsWith(
                        k.replace(':', '.')) || groupAndArtifact.equals(k.replace(':', '.')));
                if (!listed) {
                    missing.add(n);
                }
            });
        }
        assertEquals(Set.of(), missing, "jars of target/quarkus-app/lib/main not in the bill");
    }
}
