package ocivaultsync.trigger;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a function call brings besides its parsed body: the raw bytes (a webhook signature covers them exactly), the
 * headers, the deadline of the invocation, its Fn call id, and whether it came from the internet through API Gateway
 * (then only a signed Infisical webhook is accepted).
 *
 * @param headers every value of a header by its lower-case name, in the order received (empty or null when absent): a
 *                header can arrive more than once (the Fn agent copies every value the invoker sent), and a value
 *                that decides who the caller is must not be picked from several
 */
public record CallContext(byte[] rawBody, Function<String, List<String>> headers, Optional<Instant> deadline,
        String callId, boolean viaGateway) {

    /**
     * The largest body any call takes (64 KB): the longest legitimate bodies, an OCI event envelope or an Infisical
     * webhook, are a few KB. A larger body is refused before it is parsed, on every path.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Every value of a header (its name in any case), empty when it is absent. */
    public List<String> headerValues(String name) {
        List<String> values = headers.apply(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : values;
    }

    /** The header's one value; null when it is absent or arrives more than once (which of them counts is unknown). */
    public String header(String name) {
        List<String> values = headerValues(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    /** A call with at most one value per header, as a test or a local run sends it; no deadline, not via the gateway. */
    public static CallContext local(byte[] rawBody, Function<String, String> header) {
        return new CallContext(rawBody, single(header), Optional.empty(), null, false);
    }

    /** Headers of one value each, given as a lookup by lower-case name. */
    public static Function<String, List<String>> single(Function<String, String> header) {
        return name -> {
            String v = header.apply(name);
            return v == null ? List.of() : List.of(v);
        };
    }
}
