package ocivaultsync.requeue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.functions.requests.InvokeFunctionRequest;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.util.StreamUtils;
import java.util.Map;
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
    private final java.util.function.Supplier<String> invokeEndpoint;

    public FunctionRequeuer(OciClients clients, String functionId, String invokeEndpoint) {
        this(clients, functionId, () -> invokeEndpoint);
    }

    /**
     * @param invokeEndpoint the function's invoke endpoint; asked for on first use (it may need a look-up, since a
     *                       function's configuration cannot name its own endpoint in Terraform without a cycle)
     */
    public FunctionRequeuer(OciClients clients, String functionId, java.util.function.Supplier<String> invokeEndpoint) {
        this.clients = clients;
        this.functionId = functionId;
        this.invokeEndpoint = memoize(invokeEndpoint);
    }

    @Override
    public boolean retry(Nudge n) {
        return invoke(n.sync(), n.toJson());
    }

    @Override
    public boolean canHandOff() {
        return true;
    }

    @Override
    public boolean handOff(Nudge n) {
        return invoke(n.sync(), n.toJson());
    }

    private boolean invoke(String sync, Map<String, Object> body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            clients.functions(invokeEndpoint.get()).invokeFunction(InvokeFunctionRequest.builder().functionId(functionId)
                    .fnInvokeType(InvokeFunctionRequest.FnInvokeType.Detached)
                    .invokeFunctionBody(StreamUtils.createByteArrayInputStream(bytes)).build());
            return true;
        } catch (BmcException e) {
            LOG.errorf("sync %s: the detached invocation (or the look-up of the invoke endpoint) of %s failed (HTTP %d, %s, opc-request-id %s); the next "
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

    /** The invoke endpoint of a function, read once through the Functions management API. */
    public static String lookUpInvokeEndpoint(OciClients clients, String functionId) {
        String region = clients.defaultRegion().orElse(null);
        return clients.functionsManagement(region).getFunction(
                com.oracle.bmc.functions.requests.GetFunctionRequest.builder().functionId(functionId).build())
                .getFunction().getInvokeEndpoint();
    }

    private static java.util.function.Supplier<String> memoize(java.util.function.Supplier<String> s) {
        return new java.util.function.Supplier<>() {
            private volatile String value;

            @Override
            public String get() {
                String v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = s.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
