package ocivaultsync.requeue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.functions.requests.InvokeFunctionRequest;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.util.StreamUtils;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.oci.OciClients;
import org.jboss.logging.Logger;

/**
 * On OCI: a detached invocation of this very function (its OCID is {@code FN_FN_ID}) through the Functions invoke
 * API. The platform holds the invocation; the callee waits until {@code notBefore}, never past its own deadline.
 */
public final class FunctionRequeuer implements Requeuer {

    private static final Logger LOG = Logger.getLogger(FunctionRequeuer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OciClients clients;
    private final String functionId;
    private final String invokeEndpoint;
    private final RetryPolicy policy;
    private final Clock clock;

    public FunctionRequeuer(OciClients clients, String functionId, String invokeEndpoint, RetryPolicy policy,
            Clock clock) {
        this.clients = clients;
        this.functionId = functionId;
        this.invokeEndpoint = invokeEndpoint;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Optional<RetryMessage> retry(String sync, int attempt) {
        if (attempt > policy.maxAttempts()) {
            LOG.warnf("sync %s: %d retries used up; the next scheduled run takes it from here", sync,
                    policy.maxAttempts());
            return Optional.empty();
        }
        RetryMessage m = new RetryMessage(sync, attempt, clock.instant().plus(policy.delay(attempt)));
        return invoke(sync, m.toJson()) ? Optional.of(m) : Optional.empty();
    }

    @Override
    public boolean handOff(String sync, Map<String, Object> body) {
        return invoke(sync, body);
    }

    private boolean invoke(String sync, Map<String, Object> body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            clients.functions(invokeEndpoint).invokeFunction(InvokeFunctionRequest.builder().functionId(functionId)
                    .fnInvokeType(InvokeFunctionRequest.FnInvokeType.Detached)
                    .invokeFunctionBody(StreamUtils.createByteArrayInputStream(bytes)).build());
            return true;
        } catch (BmcException e) {
            LOG.errorf("sync %s: the detached invocation of %s failed (HTTP %d, %s, opc-request-id %s); the next "
                    + "scheduled run takes it from here", sync, functionId, e.getStatusCode(), e.getServiceCode(),
                    e.getOpcRequestId());
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String mode() {
        return "function";
    }
}
