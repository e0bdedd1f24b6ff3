package ocivaultsync.reconcile;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** This value's fingerprint as {@code sync} holds it under the source key {@code sourceKey}. */
    public Fingerprint fingerprint(FingerprintKey key, String sync, String sourceKey) {
        return key.fingerprint(sync, sourceKey, bytes);
    }

    /**
     * A form shorter than this cannot be replaced in place: a few characters starred out of a known text (an error
     * message, a word) let a reader fill them back in, so the whole text is withheld instead.
     */
    static final int MIN_REPLACEABLE = 8;
    public static final String WITHHELD = "(the message is withheld: it may quote a secret value)";

    /**
     * Removes this value from a text (an error message from a service, say), see {@link #redact(String, SecretValue...)}.
     */
    public String redactFrom(String text) {
        return redact(text, this);
    }

    /**
     * The one redactor: {@code text} without any of the values, in every form a service or a library may quote them:
     * as sent, trimmed (servers trim what they store), JSON-escaped (with or without {@code \\uXXXX} for non-ASCII and
     * {@code \\/}), URL-encoded, HTML-escaped, base64 (standard and URL-safe, padded or not) and hex (either case).
     * Those forms are cut out in place. Encoders differ in details (the case of a hex digit, which characters they
     * escape, {@code &#39;} or {@code &#x27;}), so the text is also read with its {@code \\uXXXX} escapes, its HTML
     * character references and its percent-escapes decoded: a value found only in such a reading cannot be cut out in
     * place, and nothing of the text is kept. So it is when a form too short to replace safely appears
     * ({@link #MIN_REPLACEABLE}). Redact before cutting a text: a cut made first could leave half a value behind.
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
            for (String reading : TextReadings.of(out)) {
                for (String form : forms) {
                    if (reading.contains(form)) {
                        return WITHHELD;
                    }
                }
            }
        }
        return out;
    }

    /** Every form this value may be quoted in, longest first, so a form that contains another is replaced whole. */
    List<String> forms() {
        String plain = utf8();
        Set<String> forms = new LinkedHashSet<>();
        addForms(forms, plain);
        String trimmed = plain.strip();
        if (!trimmed.isEmpty() && !trimmed.equals(plain)) {
            addForms(forms, trimmed);
        }
        forms.remove("");
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort((a, b) -> b.length() - a.length());
        return sorted;
    }

    private static void addForms(Set<String> forms, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        forms.add(text);
        forms.add(json(text, true, true));
        forms.add(json(text, true, false));
        forms.add(json(text, false, true));
        forms.add(json(text, false, false));
        String b64 = Base64.getEncoder().encodeToString(bytes);
        String b64url = Base64.getUrlEncoder().encodeToString(bytes);
        for (String b : List.of(b64, b64url)) {
            forms.add(b);
            forms.add(json(b, false, true));
            forms.add(unpadded(b));
        }
        String hex = HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        String formEncoded = URLEncoder.encode(text, StandardCharsets.UTF_8);
        String percentEncoded = formEncoded.replace("+", "%20");
        forms.add(formEncoded);
        forms.add(percentEncoded);
        forms.add(lowerHexEscapes(formEncoded));
        forms.add(lowerHexEscapes(percentEncoded));
        forms.add(TextReadings.htmlEscape(text));
    }

    private static String unpadded(String b64) {
        int end = b64.length();
        while (end > 0 && b64.charAt(end - 1) == '=') {
            end--;
        }
        return b64.substring(0, end);
    }

    /** {@code %2F} as {@code %2f}: some encoders write lower-case hex digits. */
    private static String lowerHexEscapes(String encoded) {
        StringBuilder b = new StringBuilder(encoded);
        for (int i = encoded.indexOf('%'); i >= 0 && i + 2 < b.length(); i = encoded.indexOf('%', i + 1)) {
            b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
            b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
        }
        return b.toString();
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
