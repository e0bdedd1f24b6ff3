package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import ocivaultsync.apply.Executor;
import ocivaultsync.apply.ImportSink;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.emulator.EmulatedVault;
import ocivaultsync.emulator.EmulatorClock;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretState;
import ocivaultsync.emulator.SecretUpdate;
import ocivaultsync.function.FunctionCalls;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.RunReport;
import ocivaultsync.requeue.Requeuer;
import ocivaultsync.requeue.RetryMessage;
import ocivaultsync.requeue.RetryPolicy;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.WebhookVerifier;
import org.junit.jupiter.api.Test;

/**
 * A model-based test over many passes: seeded random sequences of operations (sync fast and deep, plan, remove,
 * import, forced runs, schedules; source edits and deletions; out-of-band edits and deletions in the vault; foreign
 * secrets appearing; faults; time passing, which ends lifecycle transitions; container restarts; retries delivered
 * late, twice or not at all) against the emulator's state model with lifecycle transitions on, with invariants checked
 * after every step (see README, "Run the tests"). A failure prints its seed; {@code -Dmodel.seed=N} replays one
 * sequence, {@code -Dmodel.sequences=N} runs more ({@code -Pmodel} runs 2,000).
 */
class ModelBasedTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FP_KEY = "model-fingerprint-key-0123456789abcdef";
    static final int KEYS = 5;
    static final int STEPS = 20;

    @Test
    void sequencesOfOperationsKeepEveryInvariant() {
        long first = Long.getLong("model.seed", 1L);
        int count = Long.getLong("model.seed") != null ? 1 : Integer.getInteger("model.sequences", 200);
        for (long seed = first; seed < first + count; seed++) {
            try (CanaryWatch watch = new CanaryWatch()) {
                new Sequence(seed, watch).run();
            } catch (AssertionError | RuntimeException e) {
                fail("model sequence failed; replay with -Dmodel.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** One seeded sequence: its world, its steps, its checks. */
    static final class Sequence {
        final long seed;
        final Random random;
        /** The source fetch runs on its own thread, beside the vault's calls: its own draws keep a seed replayable. */
        final Random sourceRandom;
        final CanaryWatch watch;
        final EmulatorClock clock = new EmulatorClock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"),
                ZoneOffset.UTC));
        final EmulatedVault vault;
        final Map<String, String> source = new TreeMap<>();
        final List<String> canaries = new ArrayList<>();
        final List<RetryMessage> queue = new ArrayList<>();
        /** Foreign secrets by id, with what they held when they appeared. */
        final Map<String, String> foreign = new LinkedHashMap<>();
        /** Untagged secrets fitting the key schema that appeared while the sync was initial: its to adopt. */
        final Set<String> adoptable = new HashSet<>();
        final Set<String> deletedOutOfBand = new HashSet<>();
        final List<String> log = new ArrayList<>();
        boolean faults;
        /** The user's last explicit operation was a remove (the sync's configuration then has auto-sync off). */
        boolean askedRemove;
        /**
         * The model's own record of the newest explicit operation: whether it is a remove, and when its kind last
         * changed (null before any). An explicit operation that did not FAIL took effect; one that failed did not.
         */
        boolean lastRemove;
        Instant kindChangedAt;
        RunReport lastReport;
        boolean sourceFails;
        int values;
        SyncRunner runner;
        FunctionCalls handlers;

        Sequence(long seed, CanaryWatch watch) {
            this.seed = seed;
            this.random = new Random(seed);
            this.sourceRandom = new Random(seed * 31 + 7);
            this.watch = watch;
            this.vault = new EmulatedVault(EmulatedVault.Identity.defaults(), clock,
                    EmulatorOptions.defaults().withTransitionMs(1500).withPageSize(4).withSeed(seed));
            restart();
        }

        SyncConfig config() {
            EmulatedVault.Identity id = vault.identity();
            return new ConfigParser(true).parse("fingerprintKey: {value: " + FP_KEY + "}\n"
                    + "syncs:\n  - name: app\n    source: {type: file, path: /unused}\n"
                    + "    destination: {region: " + id.region() + ", compartmentId: " + id.compartmentId()
                    + ", vaultId: " + id.vaultId() + ", keyId: " + id.keyId() + "}\n"
                    + "    options: {keySchema: \"app-{{secretKey}}\", autoSync: " + !askedRemove + "}\n");
        }

        /** A new container: nothing in memory survives, the vault and the platform's queued invocations do. */
        void restart() {
            Clock runnerClock = Harness.clockOf(clock);
            runner = new SyncRunner(this::config, (sync, deadline) -> new ModelSource(),
                    (region, calls) -> new InProcessVault(vault, calls, random, () -> faults), ref -> FP_KEY,
                    new Executor.Settings(1, 2, Duration.ofMillis(1), Duration.ofMillis(2)), Duration.ofSeconds(60),
                    runnerClock, d -> { }, Set.of());
            ConfigControl control = new ConfigControl() {
                @Override
                public boolean isConfigSecret(String secretId) {
                    return false;
                }

                @Override
                public void invalidate() {
                }
            };
            handlers = new FunctionCalls(runner, new EventHandler(runner, control, id -> { }, ref -> FP_KEY,
                    new WebhookVerifier(runnerClock), runnerClock, d -> { }));
            runner.requeueWith(new ModelRequeuer(), Duration.ZERO);
        }

        void run() {
            // A vault that already holds untagged secrets fitting the key schema, and a source that already has keys:
            // what the initial run adopts, and what keeps it (and its marker) pending under faults.
            for (int i = random.nextInt(4); i > 0; i--) {
                source.put("K" + random.nextInt(KEYS), newValue());
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                String name = "app-K" + random.nextInt(KEYS);
                if (!snapshot().containsKey(name)) {
                    adoptable.add((String) vault.seed(name, b64(newValue()), Map.of(), null).get("id"));
                    log.add("untagged " + name + " at the start");
                }
            }
            faults = random.nextBoolean();
            for (int step = 0; step < STEPS; step++) {
                Map<String, Map<String, Object>> before = snapshot();
                adoptableNow(before);
                boolean removeBefore = lastRemove;
                String op = step(before);
                log.add(op);
                check(op, before, snapshot(), removeBefore);
            }
            converge();
        }

        String step(Map<String, Map<String, Object>> before) {
            int roll = random.nextInt(100);
            if (roll < 14) {
                String key = "K" + random.nextInt(KEYS);
                source.put(key, newValue());
                return "source edit " + key;
            } else if (roll < 20) {
                String key = "K" + random.nextInt(KEYS);
                source.remove(key);
                return "source delete " + key;
            } else if (roll < 34) {
                return call("sync", "{\"verify\":\"" + (random.nextBoolean() ? "fast" : "deep") + "\"}");
            } else if (roll < 38) {
                return call("sync", "{\"force\":true}");
            } else if (roll < 42) {
                return call("plan", "{}");
            } else if (roll < 48) {
                return call("event", "{\"trigger\":\"schedule\"}");
            } else if (roll < 51) {
                askedRemove = true;
                return call("remove", "{\"sync\":\"app\"}");
            } else if (roll < 54) {
                return call("import", "{\"sync\":\"app\",\"behavior\":\"prioritize-"
                        + (random.nextBoolean() ? "source" : "destination") + "\"}");
            } else if (roll < 59) {
                return outOfBand(before);
            } else if (roll < 63) {
                String name = random.nextBoolean() ? "f-" + random.nextInt(100) : "app-K" + random.nextInt(KEYS);
                // A secret fitting the key schema is either another sync's (tagged) or nobody's (untagged): the
                // sync adopts the untagged one on its initial run, and never touches it after.
                boolean untaggedFitting = name.startsWith("app-") && random.nextBoolean();
                Map<String, String> tags = name.startsWith("app-") && !untaggedFitting ? Map.of("ovs_sync", "other")
                        : Map.of();
                if (before.containsKey(name)) {
                    return "foreign skipped";
                }
                String v = newValue();
                String id = (String) vault.seed(name, b64(v), tags, null).get("id");
                // Once an initial run has begun (its marker says when), what appears later is not its to adopt.
                if (untaggedFitting && initial(before) && initialSince(before) == null) {
                    adoptable.add(id);
                    return "untagged " + name + " while initial";
                }
                foreign.put(id, v);
                return "foreign " + (untaggedFitting ? "untagged " : "") + name;
            } else if (roll < 68) {
                faults = !faults;
                sourceFails = faults && random.nextInt(4) == 0;
                return "faults " + faults;
            } else if (roll < 80) {
                clock.advance(random.nextBoolean() ? Duration.ofSeconds(2) : Duration.ofHours(random.nextInt(30)));
                return "time passes";
            } else if (roll < 83) {
                restart();
                return "restart";
            } else if (!queue.isEmpty()) {
                RetryMessage m = queue.get(random.nextInt(queue.size()));
                if (random.nextInt(3) > 0) {
                    queue.remove(m); // else delivered twice
                }
                return deliver(m);
            }
            return "nothing";
        }

        String outOfBand(Map<String, Map<String, Object>> before) {
            List<Map<String, Object>> owned = before.values().stream()
                    .filter(s -> "app".equals(tags(s).get("ovs_sync")) && "ACTIVE".equals(s.get("lifecycleState")))
                    .toList();
            if (owned.isEmpty()) {
                return "out-of-band nothing";
            }
            Map<String, Object> s = owned.get(random.nextInt(owned.size()));
            String id = (String) s.get("id");
            if (random.nextBoolean()) {
                vault.update(id, new SecretUpdate(null, b64(newValue()), null, false, null, null, null,
                        null), null);
                return "out-of-band edit " + s.get("name");
            }
            vault.scheduleDeletion(id, clock.now().plus(Duration.ofDays(7)), null);
            deletedOutOfBand.add(id);
            return "out-of-band delete " + s.get("name");
        }

        String call(String function, String body) {
            // Calls are apart in time, as a user's are: the newest explicit operation is told by its start.
            clock.advance(Duration.ofMillis(1));
            if (!function.equals("remove") && !function.equals("plan") && !function.equals("event")) {
                askedRemove = false; // an explicit run brings the sync back
            }
            Instant at = clock.now();
            lastReport = null;
            try {
                JsonNode json = JSON.readTree(body);
                RunReport r = handlers.call(function, json, CallContext.local(body.getBytes(StandardCharsets.UTF_8),
                        h -> null));
                lastReport = r;
                watch.saw("report", JSON.writeValueAsString(r));
                String status = r.syncs().get(0).status().name();
                // An explicit operation took effect unless it failed, or failed to record itself (its other results
                // then say "not started").
                boolean recordFailed = r.syncs().get(0).results().stream()
                        .anyMatch(x -> x.name().equals("ovs-state-app") && x.status().name().equals("FAILED"));
                boolean remove = function.equals("remove");
                // One that failed may still have recorded itself: the answer to its write was lost on the way back.
                Map<String, String> record = stateTags(snapshot());
                boolean recordedAnyway = record.containsKey("ovs_op_at")
                        && "remove".equals(record.get("ovs_op")) == remove
                        && Long.parseLong(record.get("ovs_op_at")) >= at.toEpochMilli();
                if (List.of("sync", "remove", "import").contains(function)
                        && (!status.equals("FAILED") && !recordFailed || recordedAnyway)) {
                    if (remove != lastRemove) {
                        lastRemove = remove;
                        kindChangedAt = at;
                    }
                    // The product's record agrees: of the kind the model says, recorded first when it changed
                    // (README, "How a sync decides").
                    if (recordedRemove(snapshot()) != lastRemove) {
                        fail("'" + function + " " + body + "' ended " + status + " but the state secret records "
                                + stateTags(snapshot()) + trace());
                    }
                }
                return function + " " + body + " -> " + r.syncs().get(0).status();
            } catch (RequestException e) {
                watch.saw("error", e.getMessage());
                return function + " refused: " + e.getMessage();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String deliver(RetryMessage m) {
            boolean stale = kindChangedAt != null && m.since() != null && m.since().isBefore(kindChangedAt)
                    && (m.operation() == ocivaultsync.reconcile.Operation.REMOVE) != lastRemove;
            String out;
            try {
                out = "retry " + m.operation() + " " + call("event",
                        JSON.writeValueAsString(m.at(m.attempt(), Instant.EPOCH).toJson()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            // The model's oracle, not the product's record: a retry that began before the newest explicit operation
            // of another kind does nothing; any other runs.
            var report = lastReport == null ? null : lastReport.syncs().get(0);
            boolean superseded = report != null && report.error() != null && report.error().startsWith("superseded");
            // A stale retry of an automatic trigger may also be skipped because auto-sync is off by then, and one
            // that cannot list the vault fails before it knows: either way it writes nothing and leaves no retry.
            boolean didNothing = report != null && List.of("SKIPPED", "FAILED").contains(report.status().name())
                    && report.ociCalls().write() == 0;
            if (stale && !didNothing || !stale && superseded) {
                fail("retry " + m.toJson() + (stale ? " is stale but was not superseded" : " was superseded")
                        + " (newest explicit: " + (lastRemove ? "remove" : "sync or import") + " since "
                        + kindChangedAt + ")" + trace());
            }
            return out;
        }

        /**
         * Faults stop, time passes, retries and the scheduled passes run (nothing forced: what a retry, a joined
         * trigger or the initial marker lost is not repaired by the test): then the vault must equal the source for
         * every name the sync owns. Then a forced pass, after which nothing the source lacks is still owned.
         */
        void converge() {
            faults = false;
            sourceFails = false;
            for (int round = 0; round < 12; round++) {
                clock.advance(Duration.ofMinutes(3));
                adoptableNow(snapshot());
                List<RetryMessage> due = new ArrayList<>(queue);
                queue.clear();
                due.forEach(this::deliver);
                // A removal that failed (under faults, or while the state secret was busy) is asked for again, as a
                // user told so would. Deep: only a deep pass repairs an out-of-band edit (README, "How a sync
                // decides"); the daily schedule is one.
                String last = askedRemove ? call("remove", "{\"sync\":\"app\"}")
                        : call("event", "{\"trigger\":\"schedule\",\"verify\":\"deep\"}");
                if (queue.isEmpty() && last.endsWith("SUCCEEDED")) {
                    break;
                }
            }
            clock.advance(Duration.ofSeconds(2));
            verifyConverged(false);
            if (!askedRemove) {
                log.add(call("sync", "{\"force\":true,\"verify\":\"deep\"}"));
                clock.advance(Duration.ofSeconds(2));
                verifyConverged(true);
            }
        }

        /** The sync is initial: no secret carries its tag, or its state secret says the initial run is pending. */
        static boolean initial(Map<String, Map<String, Object>> snap) {
            return snap.values().stream().noneMatch(s -> "app".equals(tags(s).get("ovs_sync")))
                    || snap.values().stream().anyMatch(s -> "app".equals(tags(s).get("ovs_state"))
                            && "pending".equals(tags(s).get("ovs_initial"))
                            && !List.of("PENDING_DELETION", "SCHEDULING_DELETION", "DELETED", "DELETING")
                                    .contains(s.get("lifecycleState")));
        }

        /** While the initial run is pending, when it began (null when none is, or the marker does not say). */
        static Instant initialSince(Map<String, Map<String, Object>> snap) {
            Map<String, String> state = stateTags(snap);
            String since = state.get("ovs_initial_since");
            return "pending".equals(state.get("ovs_initial")) && since != null
                    ? Instant.ofEpochMilli(Long.parseLong(since)) : null;
        }

        /**
         * An initial run adopts untagged fitting secrets that existed when it began: any, until its marker says when
         * (README, "How a sync decides").
         */
        void adoptableNow(Map<String, Map<String, Object>> snap) {
            if (!initial(snap)) {
                return;
            }
            Instant since = initialSince(snap);
            for (Map<String, Object> s : snap.values()) {
                String id = (String) s.get("id");
                if (foreign.containsKey(id) && tags(s).isEmpty()
                        && (since == null || Instant.parse((String) s.get("timeCreated")).isBefore(since))) {
                    foreign.remove(id);
                    adoptable.add(id);
                }
            }
        }

        void verifyConverged(boolean forced) {
            Map<String, Map<String, Object>> now = snapshot();
            check(forced ? "converged" : "converged without force", now, now, lastRemove);
            Set<String> held = new HashSet<>();
            foreign.keySet().forEach(id -> now.values().stream().filter(s -> id.equals(s.get("id")))
                    .forEach(s -> held.add((String) s.get("name"))));
            // An untagged secret the initial run deleted rather than adopted (its key was not in the source then)
            // still holds its name, and is not this sync's to restore (README, "Ownership").
            adoptable.forEach(id -> now.values().stream().filter(s -> id.equals(s.get("id")))
                    .filter(s -> tags(s).get("ovs_sync") == null && !"ACTIVE".equals(s.get("lifecycleState")))
                    .forEach(s -> held.add((String) s.get("name"))));
            for (Map<String, Object> s : now.values()) {
                if (!"app".equals(tags(s).get("ovs_sync")) || !"ACTIVE".equals(s.get("lifecycleState"))) {
                    continue;
                }
                String key = tags(s).get("ovs_key");
                if (askedRemove) {
                    fail("a removed sync's secret is ACTIVE again: " + s.get("name") + trace());
                }
                if (forced && !source.containsKey(key)) {
                    fail("owned " + s.get("name") + " is ACTIVE but its key is not in the source" + trace());
                }
            }
            if (!askedRemove) {
                for (Map.Entry<String, String> e : source.entrySet()) {
                    String name = "app-" + e.getKey();
                    if (held.contains(name)) {
                        continue; // held by someone else: never ours
                    }
                    Map<String, Object> s = now.get(name);
                    if (s == null || !"ACTIVE".equals(s.get("lifecycleState"))
                            || !b64(e.getValue()).equals(s.get("content"))) {
                        fail("the vault does not hold the source's value for " + name + " (" + (s == null ? "absent"
                                : s.get("lifecycleState")) + ", " + (forced ? "after a forced pass" : "without force")
                                + ")" + trace());
                    }
                }
            }
        }

        void check(String op, Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after,
                boolean removeBefore) {
            for (Map.Entry<String, String> f : foreign.entrySet()) {
                Map<String, Object> s = byId(after, f.getKey());
                if (s == null || !b64(f.getValue()).equals(s.get("content"))
                        || !"ACTIVE".equals(s.get("lifecycleState")) || "app".equals(tags(s).get("ovs_sync"))) {
                    fail("foreign secret changed by '" + op + "'" + trace());
                }
            }
            // Deletions of secrets the source has are a remove's, and only while a remove is the newest explicit
            // operation (by the model's oracle): a retry of an older remove must not delete what a newer sync keeps.
            boolean explicitRemove = lastRemove;
            for (Map<String, Object> s : after.values()) {
                Map<String, Object> was = byId(before, (String) s.get("id"));
                String state = (String) s.get("lifecycleState");
                boolean deleting = state.equals("PENDING_DELETION") || state.equals("SCHEDULING_DELETION");
                boolean wasLive = was != null && !was.get("lifecycleState").equals("PENDING_DELETION")
                        && !was.get("lifecycleState").equals("SCHEDULING_DELETION")
                        && !was.get("lifecycleState").equals("DELETED");
                String key = tags(s).get("ovs_key");
                if (deleting && wasLive && !explicitRemove && !deletedOutOfBand.contains(s.get("id"))
                        && "app".equals(tags(s).get("ovs_sync")) && key != null && source.containsKey(key)) {
                    fail("'" + op + "' deleted " + s.get("name") + " while the source has it" + trace());
                }
                if (removeBefore && lastRemove && was != null
                        && "app".equals(tags(s).get("ovs_sync")) && !wasLive && state.equals("ACTIVE")) {
                    fail("a removed sync's secret came back by itself: " + s.get("name") + " after '" + op + "'"
                            + trace());
                }
            }
            if (op.equals("converged")) { // once per sequence: every line it produced, against every value it used
                List<String> leaks = watch.leaks(canaries);
                if (!leaks.isEmpty()) {
                    fail("a value appeared in a report or log: " + leaks.get(0) + trace());
                }
            }
        }

        /** The tags of the sync's live state secret (none when it has none). */
        static Map<String, String> stateTags(Map<String, Map<String, Object>> snap) {
            return snap.values().stream().filter(s -> "app".equals(tags(s).get("ovs_state"))
                    && !"DELETED".equals(s.get("lifecycleState"))).map(ModelBasedTest.Sequence::tags).findFirst()
                    .orElse(Map.of());
        }

        /** The newest explicit operation the sync records is a remove. */
        static boolean recordedRemove(Map<String, Map<String, Object>> snap) {
            return "remove".equals(stateTags(snap).get("ovs_op"));
        }

        Map<String, Map<String, Object>> snapshot() {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            for (Map<String, Object> s : vault.snapshot()) {
                out.put((String) s.get("name") + (out.containsKey(s.get("name")) ? "#" + s.get("id") : ""), s);
            }
            return out;
        }

        String newValue() {
            String v = "mv" + seed + "x" + (values++) + "q" + random.nextInt(1000);
            canaries.add(v);
            return v;
        }

        String trace() {
            return "\n  seed " + seed + ", steps: " + String.join(" | ", log);
        }

        static Map<String, Object> byId(Map<String, Map<String, Object>> snap, String id) {
            return snap.values().stream().filter(s -> id.equals(s.get("id"))).findFirst().orElse(null);
        }

        @SuppressWarnings("unchecked")
        static Map<String, String> tags(Map<String, Object> s) {
            Object t = s.get("freeformTags");
            return t == null ? Map.of() : (Map<String, String>) t;
        }

        static String b64(String v) {
            return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
        }

        /** The source as the sequence holds it; imports write into it. */
        final class ModelSource implements SecretSource {
            @Override
            public SourceSnapshot fetch() {
                if (sourceFails && sourceRandom.nextBoolean()) {
                    throw new SourceException("the source is unavailable (injected)");
                }
                List<SourceSecret> out = new ArrayList<>();
                source.forEach((k, v) -> out.add(new SourceSecret(k, SecretValue.ofUtf8(v), "/", null)));
                return new SourceSnapshot(out);
            }

            @Override
            public Map<String, ImportSink.Outcome> write(Map<String, SecretValue> imported) {
                Map<String, ImportSink.Outcome> out = new HashMap<>();
                imported.forEach((k, v) -> {
                    source.put(k, new String(v.bytes(), StandardCharsets.UTF_8));
                    out.put(k, ImportSink.Outcome.DONE);
                });
                return out;
            }
        }

        /** Detached invocations as the platform holds them: delivered when the sequence says, late or twice. */
        final class ModelRequeuer implements Requeuer {
            @Override
            public Optional<RetryMessage> retry(RetryMessage next) {
                if (next.attempt() > RetryPolicy.DEFAULT.maxAttempts()) {
                    return Optional.empty();
                }
                RetryMessage m = next.at(next.attempt(), clock.now().plus(RetryPolicy.DEFAULT.delay(next.attempt())));
                queue.add(m);
                return Optional.of(m);
            }

            @Override
            public boolean handOff(RetryMessage work) {
                return false;
            }

            @Override
            public String mode() {
                return "model";
            }
        }
    }
}
