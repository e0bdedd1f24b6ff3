package ocivaultsync.source.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;

/**
 * Secrets from a local file, for local runs and tests: a YAML mapping of key to value, or a {@code .env} file (chosen
 * by the {@code .env} name or extension). Imports are written back into the same file, atomically, keeping its
 * format.
 */
public final class FileSource implements SecretSource {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final Path path;

    public FileSource(Path path) {
        this.path = path;
    }

    private boolean isDotEnv() {
        String name = path.getFileName().toString();
        return name.equals(".env") || name.endsWith(".env");
    }

    @Override
    public synchronized SourceSnapshot fetch() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SourceException("file " + path + " does not exist");
        } catch (IOException e) {
            throw new SourceException("file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> values = isDotEnv() ? DotEnv.parse(text, path.toString()) : yaml(text);
        List<SourceSecret> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(new SourceSecret(k, SecretValue.ofUtf8(v), path.toString(), null)));
        return new SourceSnapshot(out);
    }

    private Map<String, String> yaml(String text) {
        JsonNode root;
        try {
            root = text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
        } catch (IOException e) {
            // The parser's message quotes the text around the error, which may be a value.
            throw new SourceException("file " + path + " is not valid YAML");
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new SourceException("file " + path + " must be a mapping of secret key to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new SourceException("file " + path + ": the value of " + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return out;
    }

    @Override
    public synchronized Map<String, Outcome> write(Map<String, SecretValue> values) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        try {
            String text = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
            String updated;
            if (isDotEnv()) {
                Map<String, String> plain = new LinkedHashMap<>();
                values.forEach((k, v) -> plain.put(k, v.utf8()));
                updated = DotEnv.upsert(text, plain);
            } else {
                JsonNode root = text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
                ObjectNode obj = root instanceof ObjectNode o ? o : YAML.createObjectNode();
                values.forEach((k, v) -> obj.put(k, v.utf8()));
                updated = YAML.writeValueAsString(obj);
            }
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(tmp, updated, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            values.keySet().forEach(k -> out.put(k, Outcome.DONE));
        } catch (IOException | RuntimeException e) {
            values.keySet().forEach(k -> out.put(k, Outcome.failed("file " + path + " cannot be written ("
                    + e.getClass().getSimpleName() + ")")));
        }
        return out;
    }
}
