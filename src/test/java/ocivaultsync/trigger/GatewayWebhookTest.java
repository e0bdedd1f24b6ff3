package ocivaultsync.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import ocivaultsync.config.ConfigException;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.e2e.InfisicalWebhooks;
import ocivaultsync.e2e.TestClock;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.run.SyncRunner;
import org.junit.jupiter.api.Test;

/**
 * The gateway path's answers that need no OCI: whatever breaks before a key verified answers the uniform 401, whatever
 * breaks after answers a bare 500, and a signing key is read at most once per container and period, whether the read
 * succeeds or not. No test here reaches a sync's run: a runner is given only where the configuration fails to load.
 */
class GatewayWebhookTest {

    static final String KEY = "gateway-signing-key";
    final TestClock clock = new TestClock();

    static String ping(long ts) {
        return "{\"event\":\"test\",\"timestamp\":" + ts + "}";
    }

    static CallContext gatewayCall(String body, Function<String, String> header) {
        return new CallContext(body.getBytes(StandardCharsets.UTF_8), header, Optional.empty(), "call-1", true);
    }

    static String refusal(Runnable r) {
        RequestException e = assertThrows(RequestException.class, r::run);
        return e.status() + " " + e.code() + ": " + e.getMessage();
    }

    static final String UNIFORM = "401 BAD_SIGNATURE: the request is not a verified Infisical webhook";

    @Test
    void anythingThatBreaksBeforeAKeyVerifiedAnswersTheUniformRefusal() {
        GatewayWebhook emptyKey = new GatewayWebhook(null, List.of("ocid1.vaultsecret.oc1.x.empty"), id -> "",
                id -> {
                }, new WebhookVerifier(clock), clock);
        long ts = clock.instant().toEpochMilli();
        String body = ping(ts);
        Map<String, String> signed = InfisicalWebhooks.signed(body, ts, KEY);
        // new SecretKeySpec refuses an empty key with an IllegalArgumentException: not a 500.
        assertEquals(UNIFORM, refusal(() -> emptyKey.handle("event", gatewayCall(body, signed::get))));
        GatewayWebhook gateway = new GatewayWebhook(null, List.of("ocid1.vaultsecret.oc1.x.k"), id -> KEY, id -> {
        }, new WebhookVerifier(clock), clock);
        assertEquals(UNIFORM, refusal(() -> gateway.handle("event", gatewayCall(body, h -> {
            throw new IllegalStateException("a header the platform could not decode");
        }))));
        assertEquals("{\"syncs\":[]}", gateway.handle("event", gatewayCall(body, signed::get)).toString(), "the same ping with a usable key verifies");
    }

    static final String INTERNAL = "500 INTERNAL: internal error";

    @Test
    void aFailureAfterAKeyVerifiedAnswersABare500NotTheRefusal() {
        String canary = "CANARY-config-text-4f2a";
        List<Supplier<SyncConfig>> broken = List.of(() -> {
            throw new ConfigException("syncs[0].name: must be a slug (got \"" + canary + "\")");
        }, () -> {
            throw new IllegalStateException("the configuration secret could not be read: " + canary);
        });
        for (Supplier<SyncConfig> config : broken) {
            SyncRunner runner = new SyncRunner(config, null, null, null, null, Duration.ofMinutes(1), clock, null,
                    Set.of());
            GatewayWebhook gateway = new GatewayWebhook(runner, List.of("ocid1.vaultsecret.oc1.x.k"), id -> KEY,
                    id -> {
                    }, new WebhookVerifier(clock), clock);
            long ts = clock.instant().toEpochMilli();
            String body = InfisicalWebhooks.body("proj-1", "/", ts);
            assertEquals(INTERNAL, refusal(() -> gateway.handle("event",
                    gatewayCall(body, InfisicalWebhooks.signed(body, ts, KEY)::get))),
                    "a caller whose key verified is told the failure is ours, and nothing of the configuration");
            assertEquals(UNIFORM, refusal(() -> gateway.handle("event",
                    gatewayCall(body, InfisicalWebhooks.signed(body, ts, "forged")::get))), "the same failure never shows to a caller whose key did not");
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aSigningKeyIsReadOncePerPeriodAndAnUnreadableOneIsNotAskedForAgainForAMinute() {
        AtomicInteger reads = new AtomicInteger();
        List<String> forgotten = new ArrayList<>();
        boolean[] readable = {false};
        GatewayWebhook gateway = new GatewayWebhook(null, List.of("ocid1.vaultsecret.oc1.x.k"), id -> {
            reads.incrementAndGet();
            if (!readable[0]) {
                throw new IllegalStateException("403");
            }
            return KEY;
        }, forgotten::add, new WebhookVerifier(clock), clock);
        Runnable forged = () -> {
            long ts = clock.instant().toEpochMilli();
            String body = ping(ts);
            gateway.handle("event", gatewayCall(body, InfisicalWebhooks.signed(body, ts, "forged")::get));
        };
        for (int i = 0; i < 5; i++) {
            assertEquals(UNIFORM, refusal(forged));
        }
        assertEquals(1, reads.get(), "an unreadable key costs one read per minute, not one per request");
        clock.advance(GatewaySigningKeys.UNREADABLE_FOR.plusSeconds(1));
        readable[0] = true;
        assertEquals(UNIFORM, refusal(forged));
        assertEquals(2, reads.get());
        clock.advance(GatewaySigningKeys.KEY_TTL.minus(Duration.ofMinutes(1)));
        assertEquals(UNIFORM, refusal(forged));
        assertEquals(List.of(), forgotten, "a key read within the period is the cached one");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(UNIFORM, refusal(forged));
        assertEquals(List.of("ocid1.vaultsecret.oc1.x.k"), forgotten, "after the period the key is read afresh");
    }

    @Test
    void throughTheGatewayEvenABodyThatIsNoObjectGetsTheUniformRefusal() {
        EventHandler events = new EventHandler(null, null, null, null, null, clock, null);
        for (String body : List.of("[1]", "\"text\"")) {
            assertEquals(UNIFORM, refusal(() -> events.handle(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(body),
                    gatewayCall(body, h -> null))));
        }
        assertEquals(UNIFORM, refusal(() -> events.handle(null, gatewayCall("", h -> null))));
    }
}
