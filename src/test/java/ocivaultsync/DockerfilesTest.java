package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two Dockerfiles, read as text: no container engine runs on the build machines, so what can go wrong in an
 * image build that is visible in the file is checked here. {@code Dockerfile} is the JVM image (what {@code docker build
 * .} and {@code fn build} make, and what BENCHMARKS.md measures); {@code Dockerfile.native} the native one.
 */
public class DockerfilesTest {

    record Line(String instruction, String args) {
    }

    /** Instructions with continuation lines joined; comments dropped. */
    static List<Line> parse(String file) throws IOException {
        List<Line> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : Files.readAllLines(Path.of(file))) {
            String l = raw.strip();
            if (l.startsWith("#") || l.isEmpty() && cur.isEmpty()) {
                continue;
            }
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            cur.append(l);
            String all = cur.toString().strip();
            cur.setLength(0);
            int sp = all.indexOf(' ');
            out.add(new Line(all.substring(0, sp).toUpperCase(), all.substring(sp + 1).strip()));
        }
        return out;
    }

    /** The build stages; the global ARGs before the first FROM belong to none. */
    static List<List<Line>> stages(List<Line> lines) {
        List<List<Line>> stages = new ArrayList<>();
        for (Line l : lines) {
            if (l.instruction().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(l);
            }
        }
        return stages;
    }

    /**
     * Every base image is pinned by digest: a literal {@code @sha256:<64 hex>}, or a digest build argument declared
     * before the first FROM without a default, so a build without it fails at that FROM instead of pulling a tag.
     */
    @Test
    void everyBaseImageIsPinnedByDigestOrTheBuildFailsWithoutOne() throws IOException {
        for (String file : List.of("Dockerfile", "Dockerfile.native")) {
            List<Line> lines = parse(file);
            java.util.Set<String> globalArgsWithoutDefault = new java.util.HashSet<>();
            for (Line l : lines) {
                if (l.instruction().equals("FROM")) {
                    break;
                }
                if (l.instruction().equals("ARG") && !l.args().contains("=")) {
                    globalArgsWithoutDefault.add(l.args());
                }
            }
            for (Line l : lines) {
                if (!l.instruction().equals("FROM")) {
                    continue;
                }
                String image = l.args().split("\\s+")[0];
                java.util.regex.Matcher arg = java.util.regex.Pattern.compile("@\\$\\{([A-Z_]+)}$").matcher(image);
                boolean literal = image.matches(".+:[^:@/]+@sha256:[0-9a-f]{64}");
                boolean required = arg.find() && globalArgsWithoutDefault.contains(arg.group(1));
                assertTrue(literal || required, file + ": a base image by tag and digest: " + image);
            }
        }
    }

    @Test
    void theMavenWrapperChecksTheDistributionItDownloads() throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of(".mvn/wrapper/maven-wrapper.properties"))) {
            p.load(in);
        }
        assertTrue(p.getProperty("distributionUrl").endsWith("/apache-maven-3.9.9-bin.zip"));
        assertEquals("4ec3f26fb1a692473aea0235c300bd20f0f9fe741947c82c1234cefd76ac3a3c",
                p.getProperty("distributionSha256Sum"), "the SHA-256 of apache-maven-3.9.9-bin.zip");
    }

    @Test
    void bothImagesCarryTheSoftwareBillOfMaterials() throws IOException {
        for (String file : List.of("Dockerfile", "Dockerfile.native")) {
            assertTrue(parse(file).contains(new Line("COPY", "--from=build /build/target/bom.json "
                    + "/function/sbom.cdx.json")), file);
        }
    }

    @Test
    void theNativeBuilderWritesItsBuildFolderAsItsOwnUserFromAPinnedImage() throws IOException {
        List<List<Line>> stages = stages(parse("Dockerfile.native"));
        assertEquals(2, stages.size());
        List<Line> build = stages.get(0);
        String image = build.get(0).args().split("\\s+")[0].replaceFirst("@.*$", "");
        String tag = image.substring(image.lastIndexOf(':') + 1);
        assertTrue(tag.matches("\\d+\\.\\d+\\.\\d+\\.\\d+-Final-java\\d+"), "a pinned Mandrel release: " + image);

        // Every Maven run happens as the build user, in a folder created for that user, on files it owns.
        String user = "root";
        boolean ownedBuildDir = false;
        for (Line l : build.subList(1, build.size())) {
            switch (l.instruction()) {
                case "USER" -> user = l.args();
                case "RUN" -> {
                    if (l.args().contains("chown quarkus:quarkus /build")) {
                        ownedBuildDir = true;
                    }
                    if (l.args().contains("mvnw")) {
                        assertEquals("quarkus", user, "Maven runs as the build user: " + l);
                        assertTrue(ownedBuildDir, "the build folder belongs to the build user before Maven runs");
                    }
                }
                case "WORKDIR" -> assertTrue(ownedBuildDir && l.args().equals("/build"),
                        "WORKDIR comes after the folder is given to the build user: " + l);
                case "COPY" -> assertTrue(l.args().startsWith("--chown=quarkus:quarkus "), "copied files belong to "
                        + "the build user: " + l);
                default -> {
                }
            }
        }
        List<Line> run = stages.get(1);
        assertEquals(new Line("USER", "1000:1000"), run.stream().filter(l -> l.instruction().equals("USER"))
                .reduce((a, b) -> b).orElseThrow(), "OCI Functions runs the function as uid/gid 1000");
    }

    @Test
    void theJvmImageStartsFromAnAppCdsArchiveMadeWithItsOwnFlags() throws IOException {
        List<List<Line>> stages = stages(parse("Dockerfile"));
        List<Line> run = stages.get(stages.size() - 1);
        assertTrue(jvmImageFlags().contains("-XX:+UseSerialGC"), "the image's JVM flags are set: " + jvmImageFlags());
        int archive = indexOf(run, "RUN", "java -XX:ArchiveClassesAtExit=app-cds.jsa -jar quarkus-run.jar");
        int user = indexOf(run, "USER", "1000:1000");
        assertTrue(archive >= 0 && archive < user, "the archive is made in the runtime stage, before the user switch");
        assertTrue(run.get(run.size() - 1).args().contains("\"-XX:SharedArchiveFile=app-cds.jsa\""),
                "the entry point uses the archive");
        assertTrue(run.stream().anyMatch(l -> l.instruction().equals("WORKDIR")
                && l.args().equals("/function/quarkus-app")), "run from the archive's folder");
    }

    /** The JVM flags of the JVM image, Dockerfile (JDK_JAVA_OPTIONS): the benchmark measures the packaged jar with them. */
    public static List<String> jvmImageFlags() {
        try {
            List<List<Line>> stages = stages(parse("Dockerfile"));
            String env = stages.get(stages.size() - 1).stream().filter(l -> l.instruction().equals("ENV")
                    && l.args().startsWith("JDK_JAVA_OPTIONS=")).findFirst().orElseThrow().args();
            return List.of(env.substring(env.indexOf('"') + 1, env.lastIndexOf('"')).strip().split("\\s+"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int indexOf(List<Line> lines, String instruction, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).instruction().equals(instruction) && lines.get(i).args().contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
