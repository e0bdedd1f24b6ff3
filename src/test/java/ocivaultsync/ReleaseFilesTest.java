package ocivaultsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a user reads before running anything: one version everywhere (the pom, func.yaml, the image tag of every
 * documented command and example), the license, and build commands that say which architecture they build.
 */
class ReleaseFilesTest {

    static final Pattern POM_VERSION = Pattern.compile(
            "<artifactId>oci-vault-sync</artifactId>\\s*(?:<!--.*?-->\\s*)?<version>([^<]+)</version>",
            Pattern.DOTALL);
    static final Pattern IMAGE_TAG = Pattern.compile("oci-vault-sync:([0-9][A-Za-z0-9._-]*[A-Za-z0-9])");

    static String version() throws IOException {
        Matcher m = POM_VERSION.matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "the project's version in pom.xml");
        return m.group(1);
    }

    /** The files a user copies commands and values from. */
    static List<Path> documented() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("func.yaml"), Path.of("Dockerfile"),
                Path.of("Dockerfile.native"), Path.of("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs")); Stream<Path> tf = Files.walk(Path.of("terraform"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            tf.filter(p -> p.toString().endsWith(".tf") || p.toString().endsWith(".example")
                    || p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void oneVersionEverywhere() throws IOException {
        String version = version();
        assertFalse(version.endsWith("-SNAPSHOT"), "the version is the image tag the docs use: " + version);
        assertTrue(Files.readString(Path.of("func.yaml")).contains("\nversion: " + version + "\n"), "func.yaml");
        int tags = 0;
        for (Path f : documented()) {
            Matcher m = IMAGE_TAG.matcher(Files.readString(f));
            while (m.find()) {
                tags++;
                assertTrue(m.group(1).equals(version) || m.group(1).equals(version + "-native"),
                        f + " tags the image " + m.group(1) + ", not " + version);
            }
        }
        assertTrue(tags >= 5, "the image tag appears in the docs and examples: " + tags);
        assertTrue(Files.readString(Path.of("src/main/java/ocivaultsync/fn/FnCallRoute.java"))
                .contains("\"fdk-oci-vault-sync/" + version + "\""), "the Fn adapter reports the same version");
        assertTrue(Files.readString(Path.of("CHANGELOG.md")).contains("The first release will be **" + version
                + "**"), "CHANGELOG.md names the version its Unreleased section becomes");
    }

    @Test
    void theLicenseIsApache2InFullAndThePomSaysSo() throws IOException {
        String license = Files.readString(Path.of("LICENSE"));
        assertTrue(license.strip().startsWith("Apache License\n                           Version 2.0, January 2004"),
                "the Apache License 2.0 text");
        for (String part : List.of("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
                "9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS",
                "APPENDIX: How to apply the Apache License to your work.")) {
            assertTrue(license.contains(part), "the full text: " + part);
        }
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<name>Apache-2.0</name>") && pom.contains(
                "<url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>"), "pom.xml declares the license");
        assertTrue(Files.readString(Path.of("CHANGELOG.md")).contains("\n## [Unreleased]\n"), "Keep a Changelog");
        assertTrue(Files.readString(Path.of("SECURITY.md")).contains("/security/advisories/new"),
                "a private reporting route");
    }

    /** An image built on an ARM laptop for an x86 application fails every call: every build names its platform. */
    @Test
    void everyDocumentedImageBuildNamesItsPlatform() throws IOException {
        // A command, not a mention in prose: it names its tag or its file.
        Pattern build = Pattern.compile("(docker|podman) build [^\\n`]*(-t|-f) [^\\n]*");
        int builds = 0;
        for (Path f : documented()) {
            Matcher m = build.matcher(Files.readString(f));
            while (m.find()) {
                builds++;
                assertTrue(m.group().matches(".*--platform linux/(amd64|arm64).*"), f + ": " + m.group());
            }
        }
        assertTrue(builds >= 4, "the guide, the README and the Dockerfiles show their build: " + builds);
    }
}
