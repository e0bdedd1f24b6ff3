package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code comments, messages, Terraform descriptions and the docs cite a section of the README or of a file of this
 * repository by name, such as {@code (docs/ARCHITECTURE.md, "State kept in OCI")} or {@code (README, 'Calling it')}
 * (CONTRIBUTING.md, "The rules the code keeps"). A section that moves or is renamed must take its citations with it:
 * every cited section must exist in the file named, as a heading that starts with the cited words or as a bold lead-in
 * ({@code **Tag values**}, a row of a table or the start of a paragraph).
 */
class DocCitationsTest {

    /**
     * A file name, then a comma, an opening parenthesis or a space, then the section in double or single quotes
     * (group 2 or 3). The section may not hold a line break once comments are joined; a quote of the other kind may
     * appear inside it.
     */
    static final Pattern CITATION = Pattern.compile(
            "\\b((?:docs/)?[A-Z][A-Z-]*\\.md|README)(?:,\\s*|\\s*\\(\\s*|\\s+)"
                    + "(?:\"([^\"\\n]{2,80}?)\"|'([^'\\n]{2,80}?)')");

    static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");

    /**
     * Lower case, code marks dropped, spaces collapsed: "A real `terraform validate`" is "a real terraform validate".
     */
    static String plain(String text) {
        return text.replace("`", "").toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /** The files that cite: sources, resources, Terraform, the build, CI, and the docs themselves. */
    static List<Path> citing() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main", "src/test", "terraform", "docs")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|properties|tf|hcl|yaml|md|example)$"))
                        .filter(p -> !p.endsWith("DocCitationsTest.java")) // its examples are not citations
                        .sorted().forEach(files::add);
            }
        }
        for (String f : List.of("pom.xml", ".ci/run", "README.md", "CONTRIBUTING.md", "CHANGELOG.md", "SECURITY.md",
                "BENCHMARKS.md", "Dockerfile", "Dockerfile.native", "func.yaml")) {
            files.add(Path.of(f));
        }
        return files;
    }

    /**
     * A file's text as one line per paragraph: comment markers at the start of a line and Java string concatenation
     * ({@code "… " + "…"}) are dropped, so a citation wrapped over two lines reads as one.
     */
    static String joined(String text) {
        return text.replace("\\\"", "\"")
                .replaceAll("\"\\s*\\+\\s*\"", "")
                .replaceAll("\\s*\\n\\s*(?:\\*(?!/)|//|#)?[ \\t]*", " ");
    }

    /** The file a citation names, seen from the file that cites it. */
    static Optional<Path> target(String name, Path citer) {
        if (name.equals("README")) {
            return Optional.of(Path.of("README.md"));
        }
        for (Path candidate : List.of(Path.of(name), Path.of("docs").resolve(name),
                citer.getParent() == null ? Path.of(name) : citer.getParent().resolve(name))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate.normalize());
            }
        }
        return Optional.empty();
    }

    /** The headings (without their #) and bold lead-ins of a markdown file, lower case. */
    static List<String> sections(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#")) {
                    out.add(plain(line.replaceFirst("^#+\\s*", "")));
                }
                Matcher bold = BOLD.matcher(line);
                while (bold.find()) {
                    out.add(plain(bold.group(1)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The section a citation names. */
    static String section(Matcher m) {
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    static boolean exists(String section, List<String> sections) {
        String s = plain(section);
        return sections.stream().anyMatch(h -> h.startsWith(s));
    }

    @Test
    void everyCitedSectionExists() throws IOException {
        Map<Path, List<String>> cache = new HashMap<>();
        List<String> stale = new ArrayList<>();
        int checked = 0;
        for (Path file : citing()) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Matcher m = CITATION.matcher(joined(Files.readString(file)));
            while (m.find()) {
                Optional<Path> target = target(m.group(1), file);
                if (target.isEmpty() || !target.get().toString().endsWith(".md")) {
                    stale.add(file + ": " + m.group(1) + ", \"" + section(m) + "\" (no such file)");
                    continue;
                }
                checked++;
                if (!exists(section(m), cache.computeIfAbsent(target.get(), DocCitationsTest::sections))) {
                    stale.add(file + ": " + m.group(1) + ", \"" + section(m) + "\" (no such section in "
                            + target.get() + ")");
                }
            }
        }
        assertEquals(List.of(), stale, "citations of sections that do not exist");
        assertTrue(checked >= 100, "the citations were found: " + checked);
    }

    @Test
    void aCitationWrappedOverCommentLinesIsReadAsOne() {
        Matcher m = CITATION.matcher(joined("/**\n * a pass (docs/ARCHITECTURE.md, \"State kept\n * in OCI\").\n */"));
        assertTrue(m.find());
        assertEquals("State kept in OCI", section(m));
        m = CITATION.matcher(joined("  + \"(docs/CONFIGURATION.md, \\\"Service \"\n      + \"settings\\\")\""));
        assertTrue(m.find());
        assertEquals("Service settings", section(m));
        m = CITATION.matcher(joined("# (README, \"The webhook\n# gateway's cost bounds\")"));
        assertTrue(m.find());
        assertEquals("The webhook gateway's cost bounds", section(m));
    }

    @Test
    void aSectionIsAHeadingOrABoldLeadIn() {
        List<String> sections = List.of("state kept in oci", "who calls: the identity oci passes to the function",
                "tag values");
        assertTrue(exists("Who calls", sections));
        assertTrue(exists("Tag values", sections));
        assertTrue(!exists("Ownership", sections));
    }
}
