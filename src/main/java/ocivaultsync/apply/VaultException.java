package ocivaultsync.apply;

/**
 * A failed vault call, classified once at the adapter boundary (as ESO's single classifier). It keeps what helps an
 * operator (HTTP status, OCI's error code, message, {@code opc-request-id}) and nothing of the request, so it can never
 * carry a value.
 */
public final class VaultException extends RuntimeException {

    /** What the executor needs to know to react. Only {@link #THROTTLED} is retried inside a pass. */
    public enum Kind {
        /** 404: gone, or no permission (OCI's ambiguous NotAuthorizedOrNotFound). */
        NOT_FOUND,
        /** 409 IncorrectState: the secret moved since it was listed; a later pass will see it. */
        INCORRECT_STATE,
        /** Create refused because the name is held (by a secret the listing did not show). */
        NAME_EXISTS,
        /** 412 NoEtagMatch: the secret was written since the etag this write carried was read. */
        CONFLICT,
        /** 429. */
        THROTTLED,
        /** 5xx, timeouts, connection failures, after the SDK's own retries. */
        TRANSIENT,
        /** 401/403. */
        UNAUTHORIZED,
        /** 400 LimitExceeded / QuotaExceeded. */
        LIMIT,
        /** Any other 4xx. */
        INVALID,
        UNKNOWN
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final String opcRequestId;

    public VaultException(Kind kind, int status, String code, String message, String opcRequestId) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.opcRequestId = opcRequestId;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String opcRequestId() {
        return opcRequestId;
    }

    /** Whether a later pass can expect it to have passed: a transitional state, throttling, an outage. */
    public boolean isPassing() {
        return kind == Kind.INCORRECT_STATE || kind == Kind.THROTTLED || kind == Kind.TRANSIENT;
    }

    /** {@code OCI <code> (HTTP <status>, opc-request-id <id>): <message>}, for reports and logs. */
    public String describe() {
        StringBuilder sb = new StringBuilder("OCI ").append(code == null ? "error" : code);
        sb.append(" (").append(status > 0 ? "HTTP " + status : "no response");
        if (opcRequestId != null) {
            sb.append(", opc-request-id ").append(opcRequestId);
        }
        sb.append(')');
        if (getMessage() != null && !getMessage().isBlank()) {
            sb.append(": ").append(getMessage());
        }
        return sb.toString();
    }
}
