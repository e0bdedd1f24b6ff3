package ocivaultsync.dev;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import ocivaultsync.function.ClientWarmUp;
import org.junit.jupiter.api.Test;

/**
 * Dev mode writes a new API key on every start (README, "Try it locally"); the OCI clients read the key file once,
 * when the warm-up builds them. The key must be written first, or a second start signs with the key an earlier run
 * left in {@code target/dev/} and the new emulator answers every call 401 NotAuthenticated.
 */
class DevEmulatorOrderTest {

    /** The priority of a class's StartupEvent observer named {@code method} (CDI's default when it has none). */
    static int priority(Class<?> type, String method) {
        Method m = Arrays.stream(type.getDeclaredMethods()).filter(x -> x.getName().equals(method)).findFirst()
                .orElseThrow();
        Parameter event = Arrays.stream(m.getParameters()).filter(p -> p.getType() == StartupEvent.class).findFirst()
                .orElseThrow();
        Priority p = event.getAnnotation(Priority.class);
        return p == null ? jakarta.interceptor.Interceptor.Priority.APPLICATION + 500 : p.value();
    }

    @Test
    void theDevKeyIsWrittenBeforeTheWarmUpBuildsTheOciClients() {
        int dev = priority(DevEmulator.class, "start");
        int warmUp = priority(ClientWarmUp.class, "start");
        assertTrue(dev < warmUp, "dev emulator at " + dev + ", client warm-up at " + warmUp);
    }
}
