package ocivaultsync.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A secret value in memory. It never prints ({@link #toString()} is masked), never compares by identity and is the
 * only type that carries value bytes between the source, the vault and the executor.
 */
public final class SecretValue {

    private final byte[] bytes;

    private SecretValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretValue of(byte[] bytes) {
        return new SecretValue(bytes.clone());
    }

    public static SecretValue ofUtf8(String text) {
        return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded content of an OCI bundle. */
    public static SecretValue fromBase64(String base64) {
        return new SecretValue(Base64.getDecoder().decode(base64));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The value as text (sources hold text); invalid UTF-8 is replaced, never thrown. */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public Fingerprint fingerprint(FingerprintKey key) {
        return key.fingerprint(bytes);
    }

    /** Shorter forms cannot be replaced without mangling the text around them: the text is withheld instead. */
    static final int MIN_REPLACEABLE = 4;
    public static final String WITHHELD = "(the message is withheld: it may quote a secret value)";

    /**
     * Removes this value from a text (an error message from a service, say), see {@link #redact(String, SecretValue...)}.
     */
    public String redactFrom(String text) {
        return redact(text, this);
    }

    /**
     * The one redactor: {@code text} without any of the values, as sent (plain and base64) or as a JSON answer may
     * quote them (escaped, with or without {@code \\uXXXX} for non-ASCII and {@code \\/}). Servers differ in how
     * they escape ({@code \\u001B} or {@code \\u001b}; Go also writes {@code <}, {@code >}, {@code &}, U+2028 and
     * U+2029 as {@code \\uXXXX}), so the text is also checked with every {@code \\uXXXX} decoded: a value found only
     * there cannot be cut out in place, and nothing of the text is kept. So it is when a value too short to replace
     * safely appears. Redact before cutting a text: a cut made first could leave half a value behind.
     */
    public static String redact(String text, SecretValue... values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (SecretValue v : values) {
            if (v == null || v.isEmpty()) {
                continue;
            }
            List<String> forms = v.forms();
            for (String form : forms) {
                if (form.length() < MIN_REPLACEABLE) {
                    if (out.contains(form)) {
                        return WITHHELD;
                    }
                } else {
                    out = out.replace(form, "***");
                }
            }
            String decoded = decodeUnicodeEscapes(out);
            if (!decoded.equals(out)) {
                for (String form : forms) {
                    if (decoded.contains(form)) {
                        return WITHHELD;
                    }
                }
            }
        }
        return out;
    }

    /** Longest first, so a form that contains another is replaced whole. */
    private List<String> forms() {
        String plain = utf8();
        String b64 = base64();
        List<String> forms = new ArrayList<>();
        for (String f : List.of(json(plain, true, true), json(plain, true, false), json(plain, false, true),
                json(plain, false, false), plain, b64, json(b64, false, true))) {
            if (!forms.contains(f)) {
                forms.add(f);
            }
        }
        forms.sort((a, b) -> b.length() - a.length());
        return forms;
    }

    /** JSON string escaping as servers write it: always quotes, backslashes and controls; optionally more. */
    public static String json(String s, boolean asciiOnly, boolean slash) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '/' -> b.append(slash ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || asciiOnly && c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code text} with every {@code \\uXXXX} (either case of hex) replaced by its character. */
    static String decodeUnicodeEscapes(String text) {
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

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue v && MessageDigest.isEqual(bytes, v.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SecretValue[***, " + bytes.length + " bytes]";
    }
}
