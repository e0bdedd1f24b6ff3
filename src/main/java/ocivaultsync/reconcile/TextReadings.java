package ocivaultsync.reconcile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The other readings of a text a secret value may hide in, for {@link SecretValue#redact(String, SecretValue...)}: the
 * text with its JSON {@code \\uXXXX} escapes decoded, with its HTML character references decoded, and with its
 * percent-escapes decoded. Each decoder is lenient (a malformed escape stays as it is) and never throws: it reads
 * error messages, whatever they hold.
 */
final class TextReadings {

    private TextReadings() {
    }

    /** The readings of {@code text} that differ from it. */
    static List<String> of(String text) {
        List<String> out = new ArrayList<>(3);
        for (String reading : List.of(unicodeUnescaped(text), htmlUnescaped(text), percentDecoded(text))) {
            if (!reading.equals(text)) {
                out.add(reading);
            }
        }
        return out;
    }

    /** HTML escaping as most libraries write it: the five characters that must be escaped. */
    static String htmlEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code text} with every {@code \\uXXXX} (either case of hex) replaced by its character. */
    static String unicodeUnescaped(String text) {
        int at = text.indexOf("\\u");
        if (at < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            if (at + 6 <= text.length() && isHex(text, at + 2, at + 6)) {
                b.append(text, from, at).append((char) Integer.parseInt(text.substring(at + 2, at + 6), 16));
                from = at + 6;
                at = text.indexOf("\\u", from);
            } else {
                at = text.indexOf("\\u", at + 1);
            }
        }
        return b.append(text, from, text.length()).toString();
    }

    /** {@code text} with its named ({@code &amp;} and the like) and numeric ({@code &#39;}, {@code &#x27;}) references. */
    static String htmlUnescaped(String text) {
        int at = text.indexOf('&');
        if (at < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int semi = text.indexOf(';', at);
            String decoded = semi < 0 || semi - at > 10 ? null : reference(text.substring(at + 1, semi));
            if (decoded != null) {
                b.append(text, from, at).append(decoded);
                from = semi + 1;
                at = text.indexOf('&', from);
            } else {
                at = text.indexOf('&', at + 1);
            }
        }
        return b.append(text, from, text.length()).toString();
    }

    private static String reference(String name) {
        switch (name) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                break;
        }
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return name.length() > 2 && isHex(name, 2, name.length())
                        ? new String(Character.toChars(Integer.parseInt(name.substring(2), 16))) : null;
            }
            if (name.startsWith("#") && name.length() > 1 && name.substring(1).chars().allMatch(Character::isDigit)) {
                return new String(Character.toChars(Integer.parseInt(name.substring(1))));
            }
        } catch (IllegalArgumentException tooLarge) {
            return null;
        }
        return null;
    }

    /**
     * {@code text} with its {@code %XX} escapes decoded as UTF-8 and {@code +} read as a space (form encoding). A
     * {@code %} not followed by two hex digits stays as it is.
     */
    static String percentDecoded(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 3 <= text.length() && isHex(text, i + 1, i + 3)) {
                pending.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
                continue;
            }
            flush(pending, b);
            b.append(c == '+' ? ' ' : c);
        }
        flush(pending, b);
        return b.toString();
    }

    private static void flush(ByteArrayOutputStream pending, StringBuilder b) {
        if (pending.size() > 0) {
            b.append(new String(pending.toByteArray(), StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
