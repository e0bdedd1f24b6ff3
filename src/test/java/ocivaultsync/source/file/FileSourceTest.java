package ocivaultsync.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ocivaultsync.reconcile.ImportSink;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

    @TempDir
    Path dir;

    Map<String, String> read(Path p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SourceSecret s : new FileSource(p).fetch().secrets()) {
            out.put(s.key(), s.value().utf8());
        }
        return out;
    }

    @Test
    void readsADotEnvFileAsToolsDo() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, """
                # comment
                PLAIN=value with spaces   # trailing comment
                export EXPORTED=x
                SINGLE='literal $HOME \\n'
                DOUBLE="line1\\nline2 \\"q\\""
                MULTI="first
                second"
                EMPTY=
                HASH=a#b
                """);
        assertEquals(Map.of("PLAIN", "value with spaces", "EXPORTED", "x", "SINGLE", "literal $HOME \\n", "DOUBLE",
                "line1\nline2 \"q\"", "MULTI", "first\nsecond", "EMPTY", "", "HASH", "a#b"), read(env));
    }

    @Test
    void writesImportsBackKeepingTheFormat() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# keep me\nA=1\nB=\"multi\nline\"\n");
        Map<String, ImportSink.Outcome> out = new FileSource(env).write(Map.of("A", SecretValue.ofUtf8("one"),
                "C", SecretValue.ofUtf8("with \"quotes\"\nand lines")));
        assertEquals(Map.of("A", ImportSink.Outcome.DONE, "C", ImportSink.Outcome.DONE), out);
        assertEquals(Map.of("A", "one", "B", "multi\nline", "C", "with \"quotes\"\nand lines"), read(env));
        assertEquals("# keep me", Files.readAllLines(env).get(0));

        Path yaml = dir.resolve("s.yaml");
        Files.writeString(yaml, "X: 1\nY: two\n");
        new FileSource(yaml).write(Map.of("Z", SecretValue.ofUtf8("z: colon")));
        assertEquals(Map.of("X", "1", "Y", "two", "Z", "z: colon"), read(yaml));
        assertFalse(Files.exists(dir.resolve("s.yaml.tmp")));
    }

    @Test
    void badFilesFailWholeAndNeverQuoteAValue() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "A: hunter2-canary\nB: [unclosed\n");
        SourceException e = assertThrows(SourceException.class, () -> new FileSource(yaml).fetch());
        assertEquals("file " + yaml + " is not valid YAML", e.getMessage());
        Files.writeString(yaml, "A:\n  nested: x\n");
        assertEquals("file " + yaml + ": the value of A must be a string",
                assertThrows(SourceException.class, () -> new FileSource(yaml).fetch()).getMessage());
        Path env = dir.resolve("bad.env");
        Files.writeString(env, "OK=1\nthis is hunter2-canary\n");
        assertEquals("file " + env + ": line 2 is not KEY=value",
                assertThrows(SourceException.class, () -> new FileSource(env).fetch()).getMessage());
        assertEquals("file " + dir.resolve("none.yaml") + " does not exist",
                assertThrows(SourceException.class, () -> new FileSource(dir.resolve("none.yaml")).fetch())
                        .getMessage());
    }
}
