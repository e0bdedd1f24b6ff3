package ocivaultsync.requeue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.functions.requests.GetFunctionRequest;
import com.oracle.bmc.functions.requests.InvokeFunctionRequest;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.util.StreamUtils;
import java.util.function.Supplier;
import ocivaultsync.oci.OciClients;
import org.jboss.logging.Logger;

/**
 * On OCI: a detached invocation of this very function (its OCID is {@code FN_FN_ID}) through the Functions invoke
 * API, right away. The platform holds the invocation; the callee waits until the nudge's {@code notBefore}, never
 * past its own deadline.
 */
public final class FunctionRequeuer implements Requeuer {

    private static final Logger LOG = Logger.getLogger(FunctionRequeuer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OciClients clients;
    private final String functionId;
    private final Supplier<String> lookUp;
    private String invokeEndpoint;

    /**
     * @param invokeEndpoint the function's invoke endpoint; asked for once, on first use (it may need a look-up: a
     *                       function's configuration cannot name its own endpoint in Terraform without a cycle)
     */
    public FunctionRequeuer(OciClients clients, String functionId, Supplier<String> invokeEndpoint) {
        this.clients = clients;
        this.functionId = functionId;
        this.lookUp = invokeEndpoint;
    }

    @Override
    public boolean retry(Nudge n) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(n.toJson());
            clients.functions(endpoint()).invokeFunction(InvokeFunctionRequest.builder().functionId(functionId)
                    .fnInvokeType(InvokeFunctionRequest.FnInvokeType.Detached)
                    .invokeFunctionBody(StreamUtils.createByteArrayInputStream(bytes)).build());
            return true;
        } catch (BmcException e) {
            LOG.errorf("sync %s: the detached invocation (or the look-up of the invoke endpoint) of %s failed (HTTP "
                    + "%d, %s, opc-request-id %s); the next scheduled run takes it from here", n.sync(), functionId,
                    e.getStatusCode(), e.getServiceCode(), e.getOpcRequestId());
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean canHandOff() {
        return true;
    }

    @Override
    public boolean handOff(Nudge n) {
        return retry(n);
    }

    private synchronized String endpoint() {
        if (invokeEndpoint == null) {
            invokeEndpoint = lookUp.get();
        }
        return invokeEndpoint;
    }

    /** The invoke endpoint of a function, read through the Functions management API. */
    public static String lookUpInvokeEndpoint(OciClients clients, String functionId) {
        return clients.functionsManagement(clients.defaultRegion().orElse(null)).getFunction(
                GetFunctionRequest.builder().functionId(functionId).build()).getFunction().getInvokeEndpoint();
    }
}
