package ocivaultsync.oci;

import com.oracle.bmc.model.BmcException;
import java.util.Locale;
import ocivaultsync.reconcile.VaultException;

/** The one place SDK errors are classified (STYLE lesson 5) and stripped to what is safe to report. */
final class OciErrors {

    private OciErrors() {
    }

    static VaultException classify(BmcException e) {
        int status = e.getStatusCode();
        String code = e.getServiceCode();
        String message = message(e);
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

    /** OCI's own message, without the SDK's troubleshooting text and request dump. */
    private static String message(BmcException e) {
        String m = e.isClientSide() ? clientSide(e) : e.getUnmodifiedMessage();
        if (m == null) {
            return null;
        }
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
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
