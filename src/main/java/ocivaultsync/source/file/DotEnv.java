package ocivaultsync.source.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ocivaultsync.source.SourceException;

/**
 * The {@code .env} format as most tools read it: {@code KEY=value}, optional {@code export }, {@code #} comments,
 * single quotes (literal), double quotes (with {@code \n}, {@code \"}, {@code \\} escapes and multi-line values), and
 * unquoted values ending at an unquoted {@code #} comment.
 */
final class DotEnv {

    private static final Pattern LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(.*)$");

    private DotEnv() {
    }

    /** One assignment: its key, value and the lines it spans (a double-quoted value may span several). */
    private record Entry(String key, String value, int firstLine, int lastLine) {
    }

    static Map<String, String> parse(String text, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : entries(lines(text), where)) {
            out.put(e.key(), e.value());
        }
        return out;
    }

    /** Rewrites the assignments of the given keys in place and appends the new ones; comments and order stay. */
    static String upsert(String text, Map<String, String> values) {
        List<String> lines = lines(text);
        Map<String, String> pending = new LinkedHashMap<>(values);
        List<Entry> entries = entries(lines, "(rewrite)");
        for (int i = entries.size() - 1; i >= 0; i--) { // from the end, so earlier line numbers stay valid
            Entry e = entries.get(i);
            if (pending.containsKey(e.key())) {
                String line = e.key() + "=" + quote(pending.remove(e.key()));
                lines.subList(e.firstLine(), e.lastLine() + 1).clear();
                lines.add(e.firstLine(), line);
            }
        }
        pending.forEach((k, v) -> lines.add(k + "=" + quote(v)));
        return String.join("\n", lines) + "\n";
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static List<Entry> entries(List<String> lines, String where) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new SourceException("file " + where + ": line " + (i + 1) + " is not KEY=value");
            }
            String key = m.group(1);
            String rest = m.group(2);
            int first = i;
            String value;
            if (rest.startsWith("\"")) {
                StringBuilder raw = new StringBuilder(rest.substring(1));
                int end;
                while ((end = closingQuote(raw)) < 0) {
                    if (++i >= lines.size()) {
                        throw new SourceException("file " + where + ": the value of " + key + " has no closing quote");
                    }
                    raw.append('\n').append(lines.get(i));
                }
                value = unescape(raw.substring(0, end));
            } else if (rest.startsWith("'")) {
                int end = rest.indexOf('\'', 1);
                if (end < 0) {
                    throw new SourceException("file " + where + ": the value of " + key + " has no closing quote");
                }
                value = rest.substring(1, end);
            } else {
                int hash = rest.indexOf(" #");
                value = (hash >= 0 ? rest.substring(0, hash) : rest).strip();
            }
            out.add(new Entry(key, value, first, i));
        }
        return out;
    }

    private static int closingQuote(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + "\"";
    }
}
