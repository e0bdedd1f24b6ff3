package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The arrows of docs/ARCHITECTURE.md, 'Packages', one test per rule: what each package must never import. A change
 * that needs a new arrow changes that table first, then the rule here.
 *
 * <p>A rule reads the import lines and every fully-qualified {@code ocivaultsync.…} name outside comments, so a
 * reference cannot slip past it by skipping the import.
 */
class ArchitectureTest {

    static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)");
    static final Pattern QUALIFIED = Pattern.compile("\\b(ocivaultsync\\.[a-z]+(?:\\.[a-z]+)*\\.[A-Z]\\w*)");
    static final String PRODUCT = "ocivaultsync\\.";
    static final String SDK = "com\\.oracle\\.bmc\\.";

    record Rule(String name, String pkg, String forbidden) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("reconcile imports only the JDK and itself", "reconcile",
                    "(?!java\\.|javax\\.crypto\\.|ocivaultsync\\.reconcile\\.).*"),
            new Rule("report knows only the rules, Jackson's annotations and the JDK", "report",
                    "(?!java\\.|com\\.fasterxml\\.jackson\\.annotation\\.|ocivaultsync\\.(reconcile|report)\\.).*"),
            new Rule("config depends on the core only, never the reverse", "config",
                    "(" + SDK + "|java\\.net\\.http|" + PRODUCT
                            + "(oci|source|apply|report|requeue|run|metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("apply writes through its port: no SDK, no HTTP, no configuration, no source", "apply",
                    "(" + SDK + "|java\\.net\\.http|io\\.vertx|" + PRODUCT
                            + "(config|oci|source|requeue|run|metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("sources never reach OCI", "source",
                    "(" + SDK + "|" + PRODUCT + "(oci|requeue|run|metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("the OCI adapter knows no source, no run, no function", "oci",
                    "(" + PRODUCT + "(source|requeue|run|metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("requeue knows no run and no function", "requeue",
                    "(" + PRODUCT + "(source|run|metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("a run knows no metrics, no trigger and no function: it tells a PassListener", "run",
                    "(" + PRODUCT + "(metrics|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("metrics listen to runs and post through the SDK: no source, no trigger, no function",
                    "metrics", "(" + PRODUCT + "(source|requeue|trigger|function|fn|dev|emulator)\\.).*"),
            new Rule("triggers know no function and no transport", "trigger",
                    "(" + PRODUCT + "(metrics|function|fn|dev|emulator)\\.).*"),
            new Rule("functions never reach the emulator", "function",
                    "(" + PRODUCT + "(dev|emulator)\\.).*"),
            new Rule("the Fn adapter is transport only", "fn",
                    "(" + SDK + "|" + PRODUCT + "(?!fn\\.|settings\\.).*)"),
            new Rule("the emulator imports nothing of the product", "emulator",
                    "(" + PRODUCT + "(?!emulator\\.).*)"),
            new Rule("settings import nothing of the product", "settings",
                    "(" + PRODUCT + "(?!settings\\.).*)"),
            new Rule("dev mode wires the emulator, never a run", "dev",
                    "(" + PRODUCT + "(run|trigger|apply)\\.).*"));

    @TestFactory
    Stream<DynamicTest> everyArrowOfTheArchitecture() {
        return RULES.stream().map(rule -> DynamicTest.dynamicTest(rule.name(), () -> {
            Pattern forbidden = Pattern.compile(rule.forbidden());
            List<String> offending = references(rule.pkg()).stream()
                    .filter(r -> forbidden.matcher(r.substring(r.indexOf(": ") + 2)).matches())
                    .toList();
            assertEquals(List.of(), offending, rule.name());
        }));
    }

    /** Every package named in a rule exists, so a rule cannot pass by looking at nothing. */
    @TestFactory
    Stream<DynamicTest> everyRuleLooksAtCode() {
        return RULES.stream().map(rule -> DynamicTest.dynamicTest(rule.pkg(), () ->
                assertEquals(true, Files.isDirectory(Path.of("src/main/java/ocivaultsync/" + rule.pkg())), rule.pkg())));
    }

    /** "File.java: name" for every import and every qualified product name outside comments, in a package's tree. */
    static List<String> references(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/ocivaultsync/" + pkg))) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    String name = p.getFileName().toString();
                    return code(Files.readString(p)).lines().flatMap(line -> {
                        Matcher i = IMPORT.matcher(line);
                        if (i.find()) {
                            return Stream.of(name + ": " + i.group(1));
                        }
                        if (line.startsWith("package ")) {
                            return Stream.empty();
                        }
                        Matcher q = QUALIFIED.matcher(line);
                        Stream.Builder<String> found = Stream.builder();
                        while (q.find()) {
                            found.add(name + ": " + q.group(1));
                        }
                        return found.build();
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** The source with comments and string literals blanked, so a Javadoc {@code {@link}} is not an arrow. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }
}
