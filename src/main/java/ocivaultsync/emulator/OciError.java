package ocivaultsync.emulator;

/** An error as OCI answers it: HTTP status, service code and message. Handlers never pick statuses themselves. */
public final class OciError extends RuntimeException {

    private final int status;
    private final String code;

    public OciError(int status, String code, String message) {
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

    static OciError notFound() {
        return new OciError(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
    }

    static OciError invalid(String message) {
        return new OciError(400, "InvalidParameter", message);
    }

    static OciError missing(String message) {
        return new OciError(400, "MissingParameter", message);
    }

    static OciError unparseable(String message) {
        return new OciError(400, "CannotParseRequest", message);
    }

    static OciError limitExceeded(String message) {
        return new OciError(400, "LimitExceeded", message);
    }

    static OciError incorrectState(String message) {
        return new OciError(409, "IncorrectState", message);
    }

    static OciError notAuthenticated(String message) {
        return new OciError(401, "NotAuthenticated", message);
    }

    static OciError noEtagMatch() {
        return new OciError(412, "NoEtagMatch", "The resource's etag does not match the if-match header.");
    }

    static OciError invalidatedRetryToken() {
        return new OciError(409, "InvalidatedRetryToken",
                "The retry token was used for a different request; use a new token.");
    }

    /** The code OCI uses for an injected status. */
    static OciError forStatus(int status) {
        return switch (status) {
            case 400 -> invalid("Injected fault.");
            case 401 -> notAuthenticated("Injected fault.");
            case 404 -> notFound();
            case 409 -> incorrectState("Injected fault: the resource is in a state that does not allow this.");
            case 412 -> noEtagMatch();
            case 429 -> new OciError(429, "TooManyRequests", "Too many requests for the tenancy.");
            case 500 -> new OciError(500, "InternalServerError", "Injected fault: internal server error.");
            case 502 -> new OciError(502, "BadGateway", "Injected fault: bad gateway.");
            case 503 -> new OciError(503, "ServiceUnavailable", "Injected fault: service unavailable.");
            case 504 -> new OciError(504, "GatewayTimeout", "Injected fault: gateway timeout.");
            default -> new OciError(status, "Unknown", "Injected fault.");
        };
    }
}
