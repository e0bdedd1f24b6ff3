package ocivaultsync.trigger;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a function call brings besides its parsed body: the raw bytes (a webhook signature covers them exactly), the
 * headers, the deadline of the invocation, its Fn call id, and whether it came from the internet through API Gateway
 * (then only a signed Infisical webhook is accepted).
 */
public record CallContext(byte[] rawBody, Function<String, String> header, Optional<Instant> deadline,
        String callId, boolean viaGateway) {

    /**
     * The largest body any call takes (64 KB): the longest legitimate bodies, an OCI event envelope or an Infisical
     * webhook, are a few KB. A larger body is refused before it is parsed, on every path.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public static CallContext local(byte[] rawBody, Function<String, String> header) {
        return new CallContext(rawBody, header, Optional.empty(), null, false);
    }
}
