package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The arrows of docs/ARCHITECTURE.md, 'Packages', read from that table itself so the doc and the test cannot drift:
 * one test per package and column, "may import" (an allow-list) and "must never import".
 *
 * <p>A rule reads the import lines and every fully qualified name outside comments and string literals, so a
 * reference cannot slip past it by skipping the import. A sub-package belongs to its package.
 */
class ArchitectureTest {

    static final Path DOC = Path.of("docs/ARCHITECTURE.md");
    static final Path CODE = Path.of("src/main/java/ocivaultsync");
    static final String PRODUCT = "ocivaultsync.";
    static final String HEADER = "| package | holds | may import | must never import |";
    static final Pattern EVERYWHERE = Pattern.compile("Every package may import (.+?) unless its row forbids them");

    /**
     * What the table's words for things outside the product mean, as Java package prefixes. A word the table uses and
     * this dictionary lacks fails the test, naming it.
     */
    static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry("the JDK", List.of("java.", "javax.crypto.", "javax.net.", "javax.security.")),
            Map.entry("the JDK only", List.of("java.", "javax.crypto.", "javax.net.", "javax.security.")),
            Map.entry("HTTP", List.of("java.net.http.")),
            Map.entry("JBoss Logging", List.of("org.jboss.logging.")),
            Map.entry("the OCI SDK", List.of("com.oracle.bmc.")),
            Map.entry("Jackson", List.of("com.fasterxml.jackson.")),
            Map.entry("Jackson annotations", List.of("com.fasterxml.jackson.annotation.")),
            Map.entry("Vert.x", List.of("io.vertx.")),
            Map.entry("Quarkus", List.of("io.quarkus.")),
            Map.entry("SmallRye Config", List.of("io.smallrye.config.")),
            Map.entry("MicroProfile Config", List.of("org.eclipse.microprofile.config.")),
            Map.entry("CDI", List.of("jakarta.enterprise.", "jakarta.inject.", "jakarta.annotation.",
                    "jakarta.interceptor.")));

    static final String EVERYTHING_ABOVE = "everything above";
    static final String EVERY_OTHER_PACKAGE = "every other package of the product";

    static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)");
    static final Pattern QUALIFIED = Pattern.compile(
            "\\b((?:ocivaultsync|java|javax|jakarta|com|org|io)\\.[a-z]\\w*(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*)");

    /** One row of the table, its two arrow cells as written. */
    record Row(String pkg, String may, String never) {
    }

    /** A row resolved: the prefixes a reference may start with, and the ones it must never, each with its word. */
    record Rule(String pkg, String may, String never, Set<String> allowed, Map<String, String> forbidden) {

        /** "File.java imports name" for each reference no allowed prefix covers. */
        List<String> notAllowed(List<Reference> refs) {
            return refs.stream().filter(r -> allowed.stream().noneMatch(r.name()::startsWith))
                    .map(Reference::toString).toList();
        }

        /** "File.java imports name (word)" for each reference a forbidden prefix covers. */
        List<String> forbiddenOnes(List<Reference> refs) {
            List<String> out = new ArrayList<>();
            for (Reference r : refs) {
                forbidden.forEach((prefix, word) -> {
                    if (r.name().startsWith(prefix)) {
                        out.add(r + " (" + word + ")");
                    }
                });
            }
            return out;
        }
    }

    /** A name one source file refers to. */
    record Reference(String file, String name) {
        @Override
        public String toString() {
            return file + " imports " + name;
        }
    }

    @TestFactory
    Stream<DynamicTest> eachPackageImportsOnlyWhatItsRowAllows() throws IOException {
        return rules().stream().map(rule -> DynamicTest.dynamicTest(rule.pkg() + " may import: " + rule.may(), () ->
                assertEquals(List.of(), rule.notAllowed(references(rule.pkg())), rule.pkg()
                        + " may import only " + rule.may() + ", and what every package may (docs/ARCHITECTURE.md, "
                        + "'Packages')")));
    }

    @TestFactory
    Stream<DynamicTest> eachPackageImportsNothingItsRowForbids() throws IOException {
        return rules().stream().map(rule -> DynamicTest.dynamicTest(rule.pkg() + " must never import: "
                + rule.never(), () -> assertEquals(List.of(), rule.forbiddenOnes(references(rule.pkg())),
                        rule.pkg() + " must never import " + rule.never() + " (docs/ARCHITECTURE.md, 'Packages')")));
    }

    /** A row cannot allow what it forbids (a forbidden prefix may only carve a part out of an allowed one). */
    @Test
    void noRowAllowsWhatItForbids() throws IOException {
        List<String> contradictions = new ArrayList<>();
        List<Row> rows = rows(Files.readString(DOC));
        for (int i = 0; i < rows.size(); i++) {
            Rule rule = rule(rows, i, List.of());
            for (String allowed : rule.allowed()) {
                rule.forbidden().forEach((prefix, word) -> {
                    if (allowed.startsWith(prefix)) {
                        contradictions.add(rule.pkg() + " allows " + allowed + " and forbids it (" + word + ")");
                    }
                });
            }
        }
        assertEquals(List.of(), contradictions);
    }

    /** Every package of the code has a row and every row a package, so no rule can pass by looking at nothing. */
    @Test
    void theTableNamesEveryPackageOfTheCodeAndNoOther() throws IOException {
        Set<String> tabled = new TreeSet<>(rows(Files.readString(DOC)).stream().map(Row::pkg).toList());
        Set<String> code = new TreeSet<>();
        try (Stream<Path> entries = Files.list(CODE)) {
            entries.forEach(p -> code.add(Files.isDirectory(p) ? p.getFileName().toString()
                    : "(a class in the root package: " + p.getFileName() + ")"));
        }
        assertEquals(code, tabled);
    }

    @Test
    void aWordTheDictionaryLacksFailsNamingItAndTheRow() {
        List<Row> rows = List.of(new Row("reconcile", "the JDK only", "`report`"),
                new Row("report", "`reconcile`, Protocol Buffers", "HTTP"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rule(rows, 1, List.of()));
        assertEquals("docs/ARCHITECTURE.md, 'Packages', row report: \"Protocol Buffers\" is not a word "
                + "ArchitectureTest.WORDS knows; add it there with the Java packages it means", e.getMessage());
        IllegalStateException p = assertThrows(IllegalStateException.class,
                () -> rule(List.of(rows.get(0), new Row("report", "`reconcil`", "HTTP")), 1, List.of()));
        assertEquals("docs/ARCHITECTURE.md, 'Packages', row report: `reconcil` is no package of the table",
                p.getMessage());
    }

    @Test
    void aReferenceOutsideTheAllowListOrInsideTheDenyListIsReportedWithItsFileAndRule() {
        List<Row> rows = List.of(new Row("reconcile", "the JDK only", "HTTP, every other package of the product"),
                new Row("apply", "`reconcile`", "the OCI SDK"),
                new Row("source", "`reconcile`, Jackson", "`apply`"),
                new Row("trigger", "everything above but `apply`", "`apply`"));
        Rule source = rule(rows, 2, WORDS.get("JBoss Logging"));
        List<Reference> refs = List.of(new Reference("source/SecretSource.java", "ocivaultsync.apply.ImportSink"),
                new Reference("source/infisical/X.java", "ocivaultsync.source.SecretSource"),
                new Reference("source/infisical/X.java", "com.fasterxml.jackson.databind.JsonNode"),
                new Reference("source/infisical/X.java", "org.jboss.logging.Logger"),
                new Reference("source/infisical/X.java", "com.oracle.bmc.Region"));
        assertEquals(List.of("source/SecretSource.java imports ocivaultsync.apply.ImportSink",
                "source/infisical/X.java imports com.oracle.bmc.Region"), source.notAllowed(refs));
        assertEquals(List.of("source/SecretSource.java imports ocivaultsync.apply.ImportSink (`apply`)"),
                source.forbiddenOnes(refs));
        Rule reconcile = rule(rows, 0, List.of());
        List<Reference> http = List.of(new Reference("reconcile/Planner.java", "java.net.http.HttpClient"),
                new Reference("reconcile/Planner.java", "ocivaultsync.trigger.Bodies"));
        assertEquals(List.of("reconcile/Planner.java imports ocivaultsync.trigger.Bodies"), reconcile.notAllowed(http));
        assertEquals(List.of("reconcile/Planner.java imports java.net.http.HttpClient (HTTP)",
                "reconcile/Planner.java imports ocivaultsync.trigger.Bodies (every other package of the product)"),
                reconcile.forbiddenOnes(http));
        Rule trigger = rule(rows, 3, List.of());
        assertEquals(Set.of("ocivaultsync.trigger.", "ocivaultsync.reconcile.", "ocivaultsync.source."),
                trigger.allowed(), "everything above but `apply`");
    }

    @Test
    void theQualifiedNameOfAClassCountsLikeItsImportButNotInACommentOrAString() {
        String source = """
                package ocivaultsync.apply;

                import java.util.List;
                import static java.util.Objects.requireNonNull;

                /** See {@link ocivaultsync.run.SyncPass}. */
                class X { // ocivaultsync.run.SyncRunner
                    String s = "ocivaultsync.run.StateSecret";
                    Object o = new ocivaultsync.config.SyncConfig(); com.oracle.bmc.Region r;
                }
                """;
        assertEquals(List.of("java.util.List", "java.util.Objects.requireNonNull", "ocivaultsync.config.SyncConfig",
                "com.oracle.bmc.Region"), names(source));
    }

    // --- reading the table ---

    static List<Rule> rules() throws IOException {
        String doc = Files.readString(DOC);
        List<Row> rows = rows(doc);
        Matcher everywhere = EVERYWHERE.matcher(doc);
        if (!everywhere.find()) {
            throw new IllegalStateException("docs/ARCHITECTURE.md, 'Packages', no longer says what every package may "
                    + "import (\"Every package may import … unless its row forbids them\")");
        }
        List<String> common = new ArrayList<>();
        for (String word : terms(everywhere.group(1))) {
            common.addAll(word(word, "every package"));
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            rules.add(rule(rows, i, common));
        }
        return rules;
    }

    /** The rows of the table in section 'Packages', in order. */
    static List<Row> rows(String doc) {
        int start = doc.indexOf("\n## Packages\n");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        if (start < 0 || !section.contains("\n" + HEADER + "\n")) {
            throw new IllegalStateException("docs/ARCHITECTURE.md has no section 'Packages' with the table "
                    + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : section.substring(section.indexOf(HEADER)).lines().skip(2).toList()) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length != 6 || !cells[1].trim().matches("`[a-z]+`")) {
                throw new IllegalStateException("docs/ARCHITECTURE.md, 'Packages': a row is not "
                        + "| `package` | holds | may import | must never import |: " + line);
            }
            rows.add(new Row(cells[1].trim().replace("`", ""), cells[3].trim(), cells[4].trim()));
        }
        return rows;
    }

    /** Row {@code i} resolved against the rows of the table, with what every package may import. */
    static Rule rule(List<Row> rows, int i, List<String> common) {
        Row row = rows.get(i);
        Set<String> packages = new LinkedHashSet<>(rows.stream().map(Row::pkg).toList());
        Set<String> allowed = new LinkedHashSet<>(common);
        allowed.add(PRODUCT + row.pkg() + ".");
        Set<String> allowedProducts = new LinkedHashSet<>(Set.of(row.pkg()));
        for (String term : terms(row.may())) {
            if (term.startsWith(EVERYTHING_ABOVE)) {
                Set<String> above = new LinkedHashSet<>(rows.subList(0, i).stream().map(Row::pkg).toList());
                String rest = term.substring(EVERYTHING_ABOVE.length()).trim();
                if (rest.startsWith("but ")) {
                    above.remove(product(rest.substring(4).trim(), packages, row));
                } else if (!rest.isEmpty()) {
                    throw unknown(row, term);
                }
                above.forEach(p -> allowed.add(PRODUCT + p + "."));
                allowedProducts.addAll(above);
            } else if (term.startsWith("`")) {
                String p = product(term, packages, row);
                allowed.add(PRODUCT + p + ".");
                allowedProducts.add(p);
            } else {
                allowed.addAll(word(term, row.pkg()));
            }
        }
        Map<String, String> forbidden = new LinkedHashMap<>();
        for (String term : terms(row.never())) {
            if (term.equals(EVERY_OTHER_PACKAGE)) {
                packages.stream().filter(p -> !allowedProducts.contains(p))
                        .forEach(p -> forbidden.put(PRODUCT + p + ".", term));
            } else if (term.startsWith("`")) {
                forbidden.put(PRODUCT + product(term, packages, row) + ".", term);
            } else {
                word(term, row.pkg()).forEach(prefix -> forbidden.put(prefix, term));
            }
        }
        return new Rule(row.pkg(), row.may(), row.never(), allowed, forbidden);
    }

    /** The terms of a cell: remarks in parentheses dropped, split at commas and "and". */
    static List<String> terms(String cell) {
        String bare = cell;
        for (String before = null; !bare.equals(before); ) {
            before = bare;
            bare = bare.replaceAll("\\([^()]*\\)", "");
        }
        return Stream.of(bare.split(",|;|\\band\\b")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static String product(String term, Set<String> packages, Row row) {
        String p = term.replace("`", "");
        if (!term.matches("`[a-z]+`") || !packages.contains(p)) {
            throw new IllegalStateException("docs/ARCHITECTURE.md, 'Packages', row " + row.pkg() + ": " + term
                    + " is no package of the table");
        }
        return p;
    }

    static List<String> word(String term, String where) {
        List<String> prefixes = WORDS.get(term);
        if (prefixes == null) {
            throw unknown(new Row(where, "", ""), term);
        }
        return prefixes;
    }

    static IllegalStateException unknown(Row row, String term) {
        return new IllegalStateException("docs/ARCHITECTURE.md, 'Packages', row " + row.pkg() + ": \"" + term
                + "\" is not a word ArchitectureTest.WORDS knows; add it there with the Java packages it means");
    }

    // --- reading the code ---

    /** Every import and every qualified name outside comments and strings, in a package's tree. */
    static List<Reference> references(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(CODE.resolve(pkg))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().flatMap(p -> {
                try {
                    String file = CODE.relativize(p).toString();
                    return names(Files.readString(p)).stream().map(n -> new Reference(file, n));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    static List<String> names(String source) {
        List<String> found = new ArrayList<>();
        code(source).lines().forEach(line -> {
            Matcher i = IMPORT.matcher(line);
            if (i.find()) {
                found.add(i.group(1));
            } else if (!line.startsWith("package ")) {
                Matcher q = QUALIFIED.matcher(line);
                while (q.find()) {
                    found.add(q.group(1));
                }
            }
        });
        return found;
    }

    /** The source with comments and string literals blanked, so a Javadoc {@code {@link}} is not an arrow. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }
}
