package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The functional core stays pure: the rules live where no SDK, HTTP client or framework can reach them. */
class ArchitectureTest {

    static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)");

    static List<String> imports(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/ocivaultsync/" + pkg))) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().map(IMPORT::matcher).filter(java.util.regex.Matcher::find)
                            .map(m -> p.getFileName() + ": " + m.group(2));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void reconcileImportsOnlyTheJdkAndJacksonAnnotations() throws IOException {
        List<String> offending = imports("reconcile").stream()
                .filter(i -> !i.matches(".*: (java\\.|javax\\.crypto\\.|com\\.fasterxml\\.jackson\\.annotation\\.|"
                        + "ocivaultsync\\.reconcile\\.).*"))
                .toList();
        assertEquals(List.of(), offending);
    }

    @Test
    void configDependsOnlyOnTheCore() throws IOException {
        List<String> offending = imports("config").stream()
                .filter(i -> i.matches(".*: (com\\.oracle|io\\.vertx|io\\.quarkus|jakarta|java\\.net\\.http|"
                        + "ocivaultsync\\.(oci|source|function|fn|requeue|emulator)).*"))
                .toList();
        assertEquals(List.of(), offending);
    }
}
