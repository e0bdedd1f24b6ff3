package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ocivaultsync.apply.VaultException;
import ocivaultsync.reconcile.SecretValue;

/**
 * The one place SDK errors are classified and stripped to what is safe to report. A service may echo the request it
 * refused, so the values that request carried are removed from OCI's message first, in every form a JSON answer can
 * quote them, and only then is the message cut: a cut made first could leave half a value behind.
 */
final class OciErrors {

    /** Longest OCI message kept, after redaction. */
    static final int MAX_MESSAGE = 500;
    /** Shorter values cannot be replaced without mangling the message around them: the message is withheld instead. */
    static final int MIN_REPLACEABLE = 4;
    static final String WITHHELD = "(OCI's message is withheld: it may quote the value that was sent)";

    private OciErrors() {
    }

    static VaultException classify(BmcException e, SecretValue... sent) {
        int status = e.getStatusCode();
        String code = e.getServiceCode();
        String message = message(e, sent);
        VaultException.Kind kind;
        if (status == 429) {
            kind = VaultException.Kind.THROTTLED;
        } else if (status == 409 && "IncorrectState".equals(code)) {
            kind = VaultException.Kind.INCORRECT_STATE;
        } else if (status == 400 && "InvalidParameter".equals(code) && message != null
                && message.toLowerCase(Locale.ROOT).contains("already exists")) {
            // OCI answers a taken secret name this way (ESO #6771, TF #1765); a wrong guess only means the create
            // fails with OCI's own code instead of being re-planned.
            kind = VaultException.Kind.NAME_EXISTS;
        } else if (status == 404) {
            kind = VaultException.Kind.NOT_FOUND;
        } else if (status == 401 || status == 403) {
            kind = VaultException.Kind.UNAUTHORIZED;
        } else if (status == 400 && ("LimitExceeded".equals(code) || "QuotaExceeded".equals(code))) {
            kind = VaultException.Kind.LIMIT;
        } else if (status >= 500 || e.isTimeout() || e.isClientSide() || status <= 0) {
            kind = VaultException.Kind.TRANSIENT;
        } else if (status >= 400) {
            kind = VaultException.Kind.INVALID;
        } else {
            kind = VaultException.Kind.UNKNOWN;
        }
        return new VaultException(kind, Math.max(status, 0), code == null || code.isBlank() ? "Unknown" : code,
                message, e.getOpcRequestId());
    }

    /** OCI's own message, without the values sent, the SDK's troubleshooting text and its request dump. */
    private static String message(BmcException e, SecretValue... sent) {
        String m = e.isClientSide() ? clientSide(e) : e.getUnmodifiedMessage();
        if (m == null) {
            return null;
        }
        m = redact(m, sent);
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }

    /**
     * {@code text} without any of the values, as sent (plain and base64) or as a JSON answer may quote them (escaped,
     * with or without {@code \\uXXXX} for non-ASCII and {@code \/}). When a value is too short to replace safely and
     * the text contains it, nothing of the text is kept.
     */
    static String redact(String text, SecretValue... values) {
        String out = text;
        for (SecretValue v : values) {
            if (v == null || v.isEmpty()) {
                continue;
            }
            for (String form : forms(v)) {
                if (form.length() < MIN_REPLACEABLE) {
                    if (out.contains(form)) {
                        return WITHHELD;
                    }
                } else {
                    out = out.replace(form, "***");
                }
            }
        }
        return out;
    }

    private static List<String> forms(SecretValue v) {
        String plain = v.utf8();
        List<String> forms = new ArrayList<>();
        // Longest first, so a form that contains another is replaced whole.
        for (String f : List.of(json(plain, true, true), json(plain, true, false), json(plain, false, true),
                json(plain, false, false), plain, v.base64())) {
            if (!forms.contains(f)) {
                forms.add(f);
            }
        }
        forms.sort((a, b) -> b.length() - a.length());
        return forms;
    }

    /** JSON string escaping as servers write it: always quotes, backslashes and controls; optionally more. */
    static String json(String s, boolean asciiOnly, boolean slash) {
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

    private static String clientSide(BmcException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "the request did not reach OCI" : "the request did not reach OCI: "
                + root.getClass().getSimpleName();
    }
}
