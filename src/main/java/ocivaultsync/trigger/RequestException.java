package ocivaultsync.trigger;

/**
 * Bad input: answered with HTTP 400 and {@code {"error": {"code", "message"}}}, before anything is written. Codes:
 * {@code INVALID_REQUEST}, {@code INVALID_CONFIG}, {@code BAD_SIGNATURE}, {@code UNKNOWN_SYNC}; with their own status,
 * {@code NOT_AUTHORIZED} (403: a caller who may not call that function) and the gateway's uniform 401.
 */
public class RequestException extends RuntimeException {

    private final int status;
    private final String code;

    public RequestException(String code, String message) {
        this(400, code, message);
    }

    public RequestException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static RequestException invalid(String message) {
        return new RequestException("INVALID_REQUEST", message);
    }
}
