package ocivaultsync.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.run.SyncRunner;
import org.junit.jupiter.api.Test;

/**
 * The gateway path's answers that need no OCI: whatever breaks before a key verified answers the uniform 401, whatever
 * breaks after answers a bare 500, and a signing key is read at most once per container and period, whether the read
 * succeeds or not. No test here reaches a sync's run: a runner is given only where the configuration fails to load.
 */
class GatewayWebhookTest {

    static final String KEY = "gateway-signing-key-0123456789abcdef";
    static final String KEY_ID = "ocid1.vaultsecret.oc1.x.k";
    final TestClock clock = new TestClock();

    GatewayWebhook gateway(SyncRunner runner, Function<String, String> read) {
        return new GatewayWebhook(runner, List.of(KEY_ID), SigningKeys.current(read, Duration.ofMinutes(5), clock),
                new WebhookVerifier(clock));
    }

    static String ping(long ts) {
        return "{\"event\":\"test\",\"timestamp\":" + ts + "}";
    }

    static CallContext gatewayCall(String body, Function<String, String> header) {
        return new CallContext(body.getBytes(StandardCharsets.UTF_8), CallContext.single(header), Optional.empty(),
                "call-1", true);
    }

    static String refusal(Runnable r) {
        RequestException e = assertThrows(RequestException.class, r::run);
        return e.status() + " " + e.code() + ": " + e.getMessage();
    }

    static final String UNIFORM = "401 BAD_SIGNATURE: the request is not a verified Infisical webhook";

    @Test
    void anythingThatBreaksBeforeAKeyVerifiedAnswersTheUniformRefusal() {
        GatewayWebhook emptyKey = gateway(null, id -> "");
        long ts = clock.instant().toEpochMilli();
        String body = ping(ts);
        Map<String, String> signed = InfisicalWebhooks.signed(body, ts, KEY);
        // An empty key (new SecretKeySpec would refuse it with an IllegalArgumentException) verifies nothing.
        assertEquals(UNIFORM, refusal(() -> emptyKey.handle("event", gatewayCall(body, signed::get))));
        GatewayWebhook gateway = gateway(null, id -> KEY);
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
            GatewayWebhook gateway = gateway(runner, id -> KEY);
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
    void forgedRequestsCostAtMostOneReadPer10sAndAnUnreadableKeyOnePerMinute() {
        AtomicInteger reads = new AtomicInteger();
        boolean[] readable = {false};
        GatewayWebhook gateway = gateway(null, id -> {
            reads.incrementAndGet();
            if (!readable[0]) {
                throw new IllegalStateException("403");
            }
            return KEY;
        });
        Runnable forged = () -> {
            long ts = clock.instant().toEpochMilli();
            String body = ping(ts);
            gateway.handle("event", gatewayCall(body, InfisicalWebhooks.signed(body, ts, "forged")::get));
        };
        for (int i = 0; i < 5; i++) {
            assertEquals(UNIFORM, refusal(forged));
        }
        assertEquals(1, reads.get(), "an unreadable key costs one read per minute, not one per request");
        clock.advance(SigningKeys.UNREADABLE_FOR.plusSeconds(1));
        readable[0] = true;
        for (int i = 0; i < 5; i++) {
            assertEquals(UNIFORM, refusal(forged));
        }
        assertEquals(2, reads.get(), "a key just read is not read again for a signature it does not match");
        clock.advance(SigningKeys.REREAD_AT_MOST_EVERY.plusSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertEquals(UNIFORM, refusal(forged));
        }
        assertEquals(3, reads.get(), "a refusal reads the key again, once per 10 s at most");
        long ts = clock.instant().toEpochMilli();
        String body = ping(ts);
        assertEquals("{\"syncs\":[]}", gateway.handle("event", gatewayCall(body, InfisicalWebhooks.signed(body, ts,
                KEY)::get)).toString());
        assertEquals(3, reads.get(), "a key that verifies is used from the cache");
    }

    static final String NEW_KEY = "gateway-signing-key-rotated-0123456789";

    @Test
    void aRotatedKeyVerifiesAtOnceAndThePreviousOneOnlyDuringTheGrace() {
        SecretResolver.Rotation[] stored = {new SecretResolver.Rotation(KEY, clock.instant(), Optional.empty())};
        AtomicInteger reads = new AtomicInteger();
        GatewayWebhook gateway = new GatewayWebhook(null, List.of(KEY_ID), new SigningKeys(id -> {
            reads.incrementAndGet();
            return stored[0];
        }, Duration.ofMinutes(5), Duration.ofHours(1), clock), new WebhookVerifier(clock));
        java.util.function.Function<String, String> ping = key -> {
            clock.advance(Duration.ofSeconds(11));
            long ts = clock.instant().toEpochMilli();
            String body = ping(ts);
            try {
                return gateway.handle("event", gatewayCall(body, InfisicalWebhooks.signed(body, ts, key)::get)).toString();
            } catch (RequestException e) {
                return e.code();
            }
        };
        assertEquals("{\"syncs\":[]}", ping.apply(KEY));
        // The operator stores a new version in OCI Vault; Infisical still signs with the old key for a while.
        stored[0] = new SecretResolver.Rotation(NEW_KEY, clock.instant(), Optional.of(KEY));
        assertEquals("{\"syncs\":[]}", ping.apply(NEW_KEY), "the new key verifies at once: a refusal reads again");
        assertEquals("{\"syncs\":[]}", ping.apply(KEY), "the PREVIOUS version verifies during the rotation");
        clock.advance(Duration.ofHours(1));
        assertEquals("BAD_SIGNATURE", ping.apply(KEY), "after the grace, only the CURRENT version verifies");
        assertEquals("{\"syncs\":[]}", ping.apply(NEW_KEY));
        assertEquals(3, reads.get());
    }

    @Test
    void aKeyShorterThan32BytesVerifiesNothing() {
        String shortKey = "only-31-bytes-long-0123456789ab";
        assertEquals(31, shortKey.length());
        GatewayWebhook gateway = gateway(null, id -> shortKey);
        long ts = clock.instant().toEpochMilli();
        String body = ping(ts);
        assertEquals(UNIFORM, refusal(() -> gateway.handle("event", gatewayCall(body,
                InfisicalWebhooks.signed(body, ts, shortKey)::get))));
    }

    @Test
    void aBodyOver64KbIsRefusedUniformlyBeforeItIsRead() {
        AtomicInteger reads = new AtomicInteger();
        GatewayWebhook gateway = gateway(null, id -> {
            reads.incrementAndGet();
            return KEY;
        });
        long ts = clock.instant().toEpochMilli();
        String body = "{\"event\":\"test\",\"timestamp\":" + ts + ",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
        assertEquals(UNIFORM, refusal(() -> gateway.handle("event", gatewayCall(body,
                InfisicalWebhooks.signed(body, ts, KEY)::get))));
        assertEquals(0, reads.get(), "no key was read for it");
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
