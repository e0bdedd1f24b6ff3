package ocivaultsync.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.config.SyncDefinition;
import ocivaultsync.report.Counts;
import ocivaultsync.report.OciCalls;
import ocivaultsync.report.PassOutcome;
import ocivaultsync.report.PassStatus;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.report.Trigger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher never fails or slows the run that tells it of a pass: the run's thread only offers to a bounded queue;
 * a full queue and a failed post each drop that pass's metrics with one log line, in the pass's logging context.
 */
class MetricsPublisherTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    static final SyncDefinition SYNC = ConfigBuilder.withFingerprintKey("metrics-test-fingerprint-key-0123456789")
            .eachSync(s -> s.fileSource(java.nio.file.Path.of("unused.yaml")).destination("eu-frankfurt-1",
                    "ocid1.compartment.oc1..dest", "ocid1.vault.oc1.eu-frankfurt-1.v", "ocid1.key.oc1.eu-frankfurt-1.k"))
            .sync("app-prod", s -> s.keySchema("app-{{secretKey}}")).parse().syncs().get(0);

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLoggerName().equals(MetricsPublisher.class.getName())) {
                lines.add(MDC.get("runId") + " " + MDC.get("sync") + " | "
                        + ((org.jboss.logmanager.ExtLogRecord) r).getFormattedMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    static SyncReport report(SyncStatus status) {
        return new SyncReport("app-prod", status, false, new Counts(2, 1, 7, 1, 0, 0, 0, 0, 0, 3), List.of(), null,
                new OciCalls(2, 1, 4), 412, status == SyncStatus.FAILED ? "source: unreachable" : null);
    }

    static Optional<PassStatus> failing(int n) {
        return Optional.of(new PassStatus(PassOutcome.PARTIAL, Optional.of(AT), n, Optional.of("x: failed")));
    }

    @Test
    void theMetricsOfAPassNameItsOutcomeCountsDurationAndCallsWithTheSyncAndTrigger() {
        PassMetrics m = PassMetrics.of("ocid1.compartment.oc1..dest", Trigger.SCHEDULE, report(SyncStatus.PARTIAL),
                failing(4), AT);
        assertEquals(Map.of("sync", "app-prod", "trigger", "schedule"), m.dimensions());
        assertEquals(List.of("passes_partial", "consecutive_failures", "secrets_created", "secrets_updated",
                "secrets_deleted", "secrets_failed", "pass_duration_ms", "vault_calls"),
                List.copyOf(m.values().keySet()));
        assertEquals(List.of(1.0, 4.0, 2.0, 1.0, 1.0, 3.0, 412.0, 7.0), List.copyOf(m.values().values()));
        PassMetrics failed = PassMetrics.of("c", Trigger.RETRY, report(SyncStatus.FAILED), Optional.empty(), AT);
        assertEquals(1.0, failed.values().get("passes_failed"));
        assertEquals(null, failed.values().get("consecutive_failures"),
                "a pass that could not list its vault knows no count: none is posted");
        assertEquals("retry", failed.dimensions().get("trigger"));
        assertEquals("milliseconds", PassMetrics.unit("pass_duration_ms"));
        assertEquals("count", PassMetrics.unit("secrets_created"));
    }

    @Test
    void postsToTheDestinationsCompartmentUnlessOneIsSet() throws Exception {
        List<PassMetrics> posted = Collections.synchronizedList(new ArrayList<>());
        try (MetricsPublisher p = new MetricsPublisher(posted::add, Optional.empty(), Clock.fixed(AT, ZoneOffset.UTC),
                10); MetricsPublisher q = new MetricsPublisher(posted::add, Optional.of("ocid1.compartment.oc1..fn"),
                        Clock.fixed(AT, ZoneOffset.UTC), 10)) {
            p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
            assertTrue(p.drain(Duration.ofSeconds(10)));
            q.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
            assertTrue(q.drain(Duration.ofSeconds(10)));
        }
        assertEquals(List.of("ocid1.compartment.oc1..dest", "ocid1.compartment.oc1..fn"),
                posted.stream().map(PassMetrics::compartmentId).toList());
        assertEquals(AT, posted.get(0).timestamp());
    }

    @Test
    void aStuckSinkNeverHoldsTheRunAndAFullQueueDropsWithOneLine() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<PassMetrics> posted = Collections.synchronizedList(new ArrayList<>());
        MetricsPublisher p = new MetricsPublisher(m -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            posted.add(m);
        }, Optional.empty(), Clock.systemUTC(), 2);
        MDC.put("runId", "run-9");
        MDC.put("sync", "app-prod");
        try {
            p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty()); // taken by the worker, which blocks
            assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) { // 2 wait in the queue, 3 are dropped; none of these calls waits
                p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
            }
        } finally {
            MDC.remove("runId");
            MDC.remove("sync");
        }
        assertEquals(List.of("run-9 app-prod | metrics of sync app-prod dropped: 2 passes already wait to be posted",
                "run-9 app-prod | metrics of sync app-prod dropped: 2 passes already wait to be posted",
                "run-9 app-prod | metrics of sync app-prod dropped: 2 passes already wait to be posted"), lines);
        release.countDown();
        assertTrue(p.drain(Duration.ofSeconds(10)));
        assertEquals(3, posted.size(), "the first and the two that waited");
        p.close();
        p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
        assertEquals(3, posted.size(), "a closed publisher takes nothing");
    }

    @Test
    void aFailedPostIsDroppedWithOneLineInThePassesContextAndTheNextOnesGoOn() throws Exception {
        List<PassMetrics> posted = Collections.synchronizedList(new ArrayList<>());
        boolean[] fail = {true};
        try (MetricsPublisher p = new MetricsPublisher(m -> {
            if (fail[0]) {
                fail[0] = false;
                throw new MetricsSink.Refused("OCI NotAuthorizedOrNotFound (HTTP 404, opc-request-id x): no");
            }
            posted.add(m);
        }, Optional.empty(), Clock.systemUTC(), 10)) {
            MDC.put("runId", "run-3");
            MDC.put("sync", "app-prod");
            try {
                p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.FAILED), Optional.empty());
            } finally {
                MDC.remove("runId");
                MDC.remove("sync");
            }
            p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
            assertTrue(p.drain(Duration.ofSeconds(10)));
        }
        assertEquals(List.of("run-3 app-prod | metrics of sync app-prod not posted, dropped: OCI NotAuthorizedOrNotFound "
                + "(HTTP 404, opc-request-id x): no"), lines);
        assertEquals(1, posted.size());
        assertEquals(1.0, posted.get(0).values().get("passes_succeeded"));
    }

    @Test
    void anUnexpectedFailureOfThePostIsLoggedByItsTypeOnly() throws Exception {
        try (MetricsPublisher p = new MetricsPublisher(m -> {
            throw new IllegalArgumentException("invalid header value: Bearer canary-token-0123456789");
        }, Optional.empty(), Clock.systemUTC(), 10)) {
            p.passEnded(SYNC, Trigger.MANUAL, report(SyncStatus.SUCCEEDED), Optional.empty());
            assertTrue(p.drain(Duration.ofSeconds(10)));
        }
        assertEquals(List.of("null null | metrics of sync app-prod not posted, dropped: unexpected "
                + "java.lang.IllegalArgumentException"), lines);
    }
}
