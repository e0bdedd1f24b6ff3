package ocivaultsync.fn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** What the Fn adapter calls: a function by name, with the raw body and the caller's headers. */
public interface FnPort {

    /** The function's answer: the HTTP status it would have given and its JSON body. */
    record Result(int status, String json) {
    }

    /**
     * Never throws: every failure is an answer (a 4xx/5xx status with a JSON error body).
     *
     * @param headers    every value of a header by its lower-case name, in the order received (empty when absent)
     * @param viaGateway the request came from the internet through API Gateway ({@code Fn-Intent: httprequest}), not
     *                   from an IAM-authenticated invocation
     */
    Result call(String function, byte[] body, Function<String, List<String>> headers, Optional<Instant> deadline,
            String callId, boolean viaGateway);
}
