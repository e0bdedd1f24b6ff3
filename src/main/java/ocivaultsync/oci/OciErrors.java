package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
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
    static final String WITHHELD = SecretValue.WITHHELD;

    private OciErrors() {
    }

    static VaultException classify(BmcException e, SecretValue... sent) {
        int status = e.getStatusCode();
        String code = e.getServiceCode();
        String message = message(e, sent);
        VaultException.Kind kind;
        if (status == 429) {
            kind = VaultException.Kind.THROTTLED;
        } else if (status == 412) {
            kind = VaultException.Kind.CONFLICT;
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

    /** {@code text} without any of the values: {@link SecretValue#redact(String, SecretValue...)}, the one redactor. */
    static String redact(String text, SecretValue... values) {
        return SecretValue.redact(text, values);
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
