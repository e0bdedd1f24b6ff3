package ocivaultsync.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import ocivaultsync.apply.Executor;
import ocivaultsync.config.ConfigControl;
import ocivaultsync.config.ConfigParser;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.emulator.EmulatedVault;
import ocivaultsync.emulator.EmulatorClock;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.SecretUpdate;
import ocivaultsync.function.FunctionCalls;
import ocivaultsync.reconcile.ImportSink;
import ocivaultsync.function.Operators;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.RunReport;
import ocivaultsync.report.SyncReport;
import ocivaultsync.requeue.Nudge;
import ocivaultsync.requeue.RetryPolicy;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceException;
import ocivaultsync.source.SourceSecret;
import ocivaultsync.source.SourceSnapshot;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.EventHandler;
import ocivaultsync.trigger.RequestException;
import ocivaultsync.trigger.WebhookVerifier;
import org.junit.jupiter.api.Test;

/**
 * A model-based test over many passes in several containers (see CONTRIBUTING.md, "Run the tests"): seeded random
 * sequences of manual operations (sync fast, deep and forced, plan, import, remove), schedules, OCI events of the
 * product's own writes delivered to any container, nudges delivered late, twice or never, source edits, out-of-band
 * edits and deletions, foreign secrets, the state secret deleted by hand, faults (answers lost after a write took
 * effect included), restarts, and time passing — across two or three containers whose clocks are minutes apart, with
 * passes paused between their listing and their first write while another container acts. The vault is the emulator's
 * state model with lifecycle transitions on (in process, without HTTP, to stay within seconds).
 *
 * <p>The oracle is the test's own: which manual operation's record OCI accepted last (seen as the write, attributed to
 * the operation that made it, never read back from the product's tags). After every step: a foreign secret is never
 * changed; while the newest recorded operation is a sync nothing the source has is deleted, and while it is a remove
 * nothing removed comes back. After quiescence (faults off, every nudge and event delivered, deep schedules run): a
 * removed sync owns nothing ACTIVE; an active one holds the source's value for every name it owns, and after a forced
 * sync nothing the source lacks; no value appeared in any report or log. A failure prints its seed and steps;
 * {@code -Dmodel.seed=N} replays it, {@code -Dmodel.sequences=N} runs more ({@code -Pmodel} runs 2,000).
 */
class ModelBasedTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FP_KEY = "model-fingerprint-key-0123456789abcdef";
    static final int KEYS = 5;
    static final int STEPS = 24;

    @Test
    void sequencesOfOperationsKeepEveryInvariant() {
        // One seed to replay a failure; else a range, from 1 unless asked to explore further (-Dmodel.first-seed).
        long first = Long.getLong("model.seed", Long.getLong("model.first-seed", 1L));
        int count = Long.getLong("model.seed") != null ? 1 : Integer.getInteger("model.sequences", 200);
        for (long seed = first; seed < first + count; seed++) {
            try (CanaryWatch watch = new CanaryWatch()) {
                new Sequence(seed, watch).run();
            } catch (AssertionError | RuntimeException e) {
                fail("model sequence failed; replay with -Dmodel.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** A manual operation, as the test knows it: what the user asked. */
    record Asked(int id, String function, boolean remove) {
    }

    /** One seeded sequence: its world, its containers, its steps, its checks. */
    static final class Sequence {
        final long seed;
        final Random random;
        /** The source's own draws: what a step asks of it never shifts the steps' draws. */
        final Random sourceRandom;
        final CanaryWatch watch;
        final EmulatorClock clock = new EmulatorClock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"),
                ZoneOffset.UTC));
        final EmulatedVault vault;
        final Map<String, String> source = new ConcurrentSkipListMap<>();
        final List<String> canaries = new ArrayList<>();
        /** Detached invocations the platform holds: delivered to any container, late, twice or never. */
        final List<Nudge> nudges = new ArrayList<>();
        /** OCI events of writes (the product's and the test's own), as the Events service would deliver them. */
        final List<String> events = new ArrayList<>();
        final Map<String, String> foreign = new LinkedHashMap<>();
        final Set<String> adoptable = new HashSet<>();
        final Set<String> deletedOutOfBand = new HashSet<>();
        /** Adoptable secrets an initial run no longer reaches: the user deleted its state secret while it was pending. */
        final Set<String> abandoned = new HashSet<>();
        final List<String> log = new ArrayList<>();
        final boolean autoSync;
        final List<Container> containers = new ArrayList<>();
        boolean faults;
        boolean sourceFails;
        int values;
        int asks;
        /** Per container, the manual operation it is running (the one its state-secret records belong to). */
        final Map<Integer, Asked> running = new HashMap<>();
        /** The manual operations whose record OCI accepted, in OCI's order: the oracle. */
        final List<Asked> recorded = new ArrayList<>();
        /** The user deleted the state secret after the last record: what was asked is forgotten (active). */
        boolean forgotten;
        /** Nested steps (a pass paused between list and write while another container acts) go one deep. */
        int depth;
        String pausedFor;

        Sequence(long seed, CanaryWatch watch) {
            this.seed = seed;
            this.random = new Random(seed);
            this.sourceRandom = new Random(seed * 31 + 7);
            this.watch = watch;
            this.vault = new EmulatedVault(EmulatedVault.Identity.defaults(), clock,
                    EmulatorOptions.defaults().withTransitionMs(1500).withPageSize(4).withSeed(seed));
            this.autoSync = random.nextInt(4) > 0;
            int n = 2 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                containers.add(new Container(i, Duration.ofSeconds(random.nextInt(361) - 180)));
            }
        }

        SyncConfig config() {
            EmulatedVault.Identity id = vault.identity();
            return new ConfigParser(true).parse("fingerprintKey: {value: " + FP_KEY + "}\n"
                    + "syncs:\n  - name: app\n    source: {type: file, path: /unused}\n"
                    + "    destination: {region: " + id.region() + ", compartmentId: " + id.compartmentId()
                    + ", vaultId: " + id.vaultId() + ", keyId: " + id.keyId() + "}\n"
                    + "    options: {keySchema: \"app-{{secretKey}}\", autoSync: " + autoSync + "}\n");
        }

        /** The mode the newest accepted record asked for: removed, or active (also when nothing was, or forgotten). */
        boolean expectRemoved() {
            return !forgotten && !recorded.isEmpty() && recorded.get(recorded.size() - 1).remove();
        }

        /** One function container: its own runner, clock (minutes off OCI's), requeuer and memory. */
        final class Container {
            final int index;
            final Duration skew;
            SyncRunner runner;
            FunctionCalls handlers;

            Container(int index, Duration skew) {
                this.index = index;
                this.skew = skew;
                restart();
            }

            /** A new container: nothing in memory survives; the vault and the platform's invocations do. */
            void restart() {
                Clock own = new Clock() {
                    @Override
                    public Instant instant() {
                        return clock.now().plus(skew);
                    }

                    @Override
                    public ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }
                };
                runner = new SyncRunner(Sequence.this::config, (sync, deadline) -> new ModelSource(),
                        (region, calls) -> new InProcessVault(vault, calls, random, () -> faults, new Watch(index)),
                        ref -> FP_KEY, new Executor.Settings(1, 6, Duration.ofMillis(250), Duration.ofSeconds(8)),
                        Duration.ofSeconds(60), own, d -> clock.advance(d), Set.of());
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
                        new WebhookVerifier(own), own, d -> { }), Operators.of(List.of(Harness.OPERATOR)));
                // Detached invocations as the platform holds them: any container may get one, late or twice.
                runner.requeueWith(nudges::add, RetryPolicy.DEFAULT, Duration.ZERO);
            }

            @Override
            public String toString() {
                return "c" + index;
            }
        }

        /** What the test sees of each container's calls: where a pass may be paused, and which record it wrote. */
        final class Watch implements InProcessVault.Watcher {
            final int container;
            int calls;
            boolean acted;
            final int pauseAt = random.nextInt(3);

            Watch(int container) {
                this.container = container;
            }

            /**
             * A pass pauses (a slow source, a slow pass) only where it has not acted yet: before it reads a bundle or
             * the state secret (its record, or the check of its intent just before its first write), and never once
             * it wrote a secret. Between that check and the write lie milliseconds no test should reach into: a
             * later operation recorded there is honoured by its own pass.
             */
            @Override
            public void beforeCall(String operation, String secretId) {
                boolean read = operation.equals("GetSecretBundle")
                        || operation.equals("GetSecret") && isState(secretId);
                if (!read) {
                    if (!(operation.equals("UpdateSecret") && isState(secretId))) {
                        acted = true;
                    }
                    return;
                }
                if (!acted && calls++ == pauseAt && depth == 0 && pausedFor == null && random.nextInt(5) == 0) {
                    List<Container> others = containers.stream().filter(c -> c.index != container).toList();
                    Container other = others.get(random.nextInt(others.size()));
                    pausedFor = "c" + container + " before " + operation;
                    depth++;
                    try {
                        log.add("  (c" + container + " paused before " + operation + ": " + step(other, true) + ")");
                    } finally {
                        depth--;
                        pausedFor = null;
                    }
                }
            }

            @SuppressWarnings("unchecked")
            boolean isState(String secretId) {
                try {
                    return ((Map<String, String>) vault.get(secretId).get("freeformTags")).containsKey("ovs_state");
                } catch (RuntimeException e) {
                    return false;
                }
            }

            @Override
            public void wrote(String operation, String secretId, Map<String, String> before,
                    Map<String, String> after) {
                if (after != null && "app".equals(after.get("ovs_state"))) {
                    String gen = after.get("ovs_gen");
                    boolean newRecord = !"0".equals(gen) && gen != null
                            && (before == null || !gen.equals(before.get("ovs_gen")));
                    if (newRecord) {
                        Asked who = running.get(container);
                        if (who == null) {
                            fail("c" + container + " recorded an intent (" + after + ") with no manual operation "
                                    + "running there: automatic passes never record" + trace());
                        }
                        recorded.add(who);
                        forgotten = false;
                        if (!(who.remove() ? "removed" : "active").equals(after.get("ovs_mode"))) {
                            fail(who + " recorded " + after + trace());
                        }
                    }
                }
                events.add(secretId); // every write comes back as an OCI event
            }
        }

        void run() {
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
            log.add("containers " + containers.stream().map(c -> c + "@" + c.skew.toSeconds() + "s").toList()
                    + ", autoSync " + autoSync);
            for (int step = 0; step < STEPS; step++) {
                Map<String, Map<String, Object>> before = snapshot();
                adoptableNow(before);
                boolean removedBefore = expectRemoved();
                int recordsBefore = recorded.size();
                Container c = containers.get(random.nextInt(containers.size()));
                String op = step(c, false);
                log.add(op);
                check(op, before, snapshot(), removedBefore, recordsBefore);
            }
            converge();
        }

        /** One step on container {@code c}; a nested one (inside a paused pass) only calls functions. */
        String step(Container c, boolean nested) {
            int roll = nested ? 20 + random.nextInt(70) : random.nextInt(100);
            if (roll < 12) {
                String key = "K" + random.nextInt(KEYS);
                source.put(key, newValue());
                return "source edit " + key;
            } else if (roll < 17) {
                String key = "K" + random.nextInt(KEYS);
                source.remove(key);
                return "source delete " + key;
            } else if (roll < 20) {
                return deleteStateSecretByHand();
            } else if (roll < 34) {
                return manual(c, "sync", "{\"verify\":\"" + (random.nextBoolean() ? "fast" : "deep") + "\"}");
            } else if (roll < 38) {
                return manual(c, "sync", "{\"force\":true}");
            } else if (roll < 41) {
                return call(c, "plan", "{}");
            } else if (roll < 50) {
                return call(c, "event", "{\"trigger\":\"schedule\"}");
            } else if (roll < 58) {
                return manual(c, "remove", "{\"sync\":\"app\"}");
            } else if (roll < 62) {
                return manual(c, "import", "{\"sync\":\"app\",\"behavior\":\"prioritize-"
                        + (random.nextBoolean() ? "source" : "destination") + "\"}");
            } else if (roll < 70) {
                return deliverEvent(c);
            } else if (roll < 80) {
                return deliverNudge(c);
            } else if (roll < 84) {
                return outOfBand();
            } else if (roll < 88) {
                return foreignSecret();
            } else if (roll < 91) {
                faults = !faults;
                sourceFails = faults && random.nextInt(4) == 0;
                return "faults " + faults;
            } else if (roll < 97) {
                clock.advance(random.nextBoolean() ? Duration.ofSeconds(2) : Duration.ofHours(random.nextInt(30)));
                return "time passes";
            }
            c.restart();
            return "restart " + c;
        }

        String deleteStateSecretByHand() {
            Map<String, Object> state = liveState(snapshot());
            if (state == null || !"ACTIVE".equals(state.get("lifecycleState"))) {
                return "no state secret to delete";
            }
            vault.scheduleDeletion((String) state.get("id"), clock.now().plus(Duration.ofDays(7)), null);
            forgotten = true;
            if ("pending".equals(tags(state).get("ovs_initial"))) {
                // An unfinished initial run ends with it (docs/ARCHITECTURE.md, "State kept in OCI"): what it had not
                // adopted yet is nobody's.
                abandoned.addAll(adoptable);
            }
            return "the user deletes " + state.get("name");
        }

        String outOfBand() {
            List<Map<String, Object>> owned = snapshot().values().stream()
                    .filter(s -> "app".equals(tags(s).get("ovs_sync")) && "ACTIVE".equals(s.get("lifecycleState")))
                    .toList();
            if (owned.isEmpty()) {
                return "out-of-band nothing";
            }
            Map<String, Object> s = owned.get(random.nextInt(owned.size()));
            String id = (String) s.get("id");
            events.add(id);
            if (random.nextBoolean()) {
                vault.update(id, new SecretUpdate(null, b64(newValue()), null, false, null, null, null, null), null);
                return "out-of-band edit " + s.get("name");
            }
            vault.scheduleDeletion(id, clock.now().plus(Duration.ofDays(7)), null);
            deletedOutOfBand.add(id);
            return "out-of-band delete " + s.get("name");
        }

        String foreignSecret() {
            Map<String, Map<String, Object>> before = snapshot();
            String name = random.nextBoolean() ? "f-" + random.nextInt(100) : "app-K" + random.nextInt(KEYS);
            boolean untaggedFitting = name.startsWith("app-") && random.nextBoolean();
            Map<String, String> tags = name.startsWith("app-") && !untaggedFitting ? Map.of("ovs_sync", "other")
                    : Map.of();
            if (before.containsKey(name)) {
                return "foreign skipped";
            }
            String v = newValue();
            String id = (String) vault.seed(name, b64(v), tags, null).get("id");
            // One that appears while a pass is paused is newer than that pass's listing: not that pass's to adopt
            // (a later initial pass may still take it, as adoptableNow says).
            if (untaggedFitting && depth == 0 && initial(before) && initialSince(before) == null) {
                adoptable.add(id);
                return "untagged " + name + " while initial";
            }
            foreign.put(id, v);
            return "foreign " + (untaggedFitting ? "untagged " : "") + name;
        }

        String deliverEvent(Container c) {
            if (events.isEmpty()) {
                return "no event";
            }
            String id = events.remove(random.nextInt(events.size()));
            Map<String, Object> s = byId(snapshot(), id);
            if (s == null || random.nextInt(5) == 0) {
                return "event lost";
            }
            String body = "{\"cloudEventsVersion\":\"0.1\",\"eventType\":\"com.oraclecloud.vaultsecret.updatesecret\","
                    + "\"eventTime\":\"" + clock.now() + "\",\"data\":{\"resourceId\":\"" + id
                    + "\",\"compartmentId\":\"" + vault.identity().compartmentId() + "\"}}";
            return "event " + s.get("name") + " " + call(c, "event", body);
        }

        String deliverNudge(Container c) {
            if (nudges.isEmpty()) {
                return "no nudge";
            }
            Nudge n = nudges.get(random.nextInt(nudges.size()));
            if (depth > 0 || random.nextInt(3) > 0) {
                nudges.remove(n); // else delivered twice (not while converging: every delivery comes due in turn)
            }
            if (depth > 0) {
                clock.advance(Duration.ofSeconds(20)); // when it is due: the platform delivers it then
            }
            try {
                return "nudge " + n.attempt() + " " + call(c, "event", JSON.writeValueAsString(
                        n.at(n.attempt(), Instant.EPOCH).toJson()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A manual operation the user asks for on container {@code c}: the oracle learns of its record as written. */
        String manual(Container c, String function, String body) {
            if (running.containsKey(c.index)) {
                return "c" + c.index + " is busy";
            }
            Asked asked = new Asked(++asks, function, function.equals("remove"));
            running.put(c.index, asked);
            try {
                return call(c, function, body);
            } finally {
                running.remove(c.index);
            }
        }

        String call(Container c, String function, String body) {
            clock.advance(Duration.ofMillis(1));
            try {
                JsonNode json = JSON.readTree(body);
                // The operator calls, as the model's manual operations are theirs; nudges and events need no one.
                RunReport r = c.handlers.call(function, json, CallContext.local(body.getBytes(StandardCharsets.UTF_8),
                        h -> h.equals(Operators.SUBJECT_HEADER) ? Harness.OPERATOR : null));
                watch.saw("report", JSON.writeValueAsString(r));
                if (r.syncs().isEmpty()) {
                    return c + " " + function + " -> nothing to run";
                }
                SyncReport s = r.syncs().get(0);
                return c + " " + function + " " + body + " -> " + s.status()
                        + (s.error() == null ? "" : " (" + s.error() + ")") + " " + s.ociCalls()
                        + s.results().stream().filter(x -> x.status() != ocivaultsync.reconcile.ResultStatus.DONE)
                                .map(x -> " [" + x.name() + " " + x.action() + " " + x.status() + ": " + x.reason() + "]")
                                .collect(java.util.stream.Collectors.joining());
            } catch (RequestException e) {
                watch.saw("error", e.getMessage());
                return c + " " + function + " refused: " + e.getMessage();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Faults stop; every nudge and event is delivered and deep schedules run (a manual operation of the mode the
         * user last asked for when auto-sync is off) until nothing is left; then the vault must hold what the newest
         * recorded operation asked for. Then, unless removed, a forced sync: after it nothing the source lacks is
         * still owned.
         */
        void converge() {
            faults = false;
            sourceFails = false;
            depth = 1; // nothing acts from inside a pass any more: quiescence
            boolean removed = expectRemoved();
            for (int round = 0; round < 12; round++) {
                clock.advance(Duration.ofMinutes(3));
                adoptableNow(snapshot());
                Container c = containers.get(random.nextInt(containers.size()));
                for (int n = 0; !nudges.isEmpty() || !events.isEmpty(); n++) {
                    if (n > 200) {
                        fail("nudges and events never stop coming: each pass writes again" + trace());
                    }
                    log.add(nudges.isEmpty() ? deliverEvent(c) : deliverNudge(c));
                }
                String last;
                if (autoSync) {
                    last = call(c, "event", "{\"trigger\":\"schedule\",\"verify\":\"deep\"}");
                } else {
                    last = removed ? manual(c, "remove", "{\"sync\":\"app\"}")
                            : manual(c, "sync", "{\"verify\":\"deep\"}");
                }
                log.add(last);
                if (nudges.isEmpty() && events.isEmpty() && last.contains("SUCCEEDED")) {
                    break;
                }
            }
            clock.advance(Duration.ofSeconds(2));
            verifyConverged(false);
            if (!expectRemoved()) {
                log.add(manual(containers.get(0), "sync", "{\"force\":true,\"verify\":\"deep\"}"));
                clock.advance(Duration.ofSeconds(2));
                verifyConverged(true);
            }
        }

        /**
         * The rule of docs/ARCHITECTURE.md, "Reconcile rules": the state secret says pending, or there is none and the
         * sync owns nothing.
         */
        static boolean initial(Map<String, Map<String, Object>> snap) {
            Map<String, Object> state = liveState(snap);
            return state == null ? snap.values().stream().noneMatch(s -> "app".equals(tags(s).get("ovs_sync")))
                    : "pending".equals(tags(state).get("ovs_initial"));
        }

        static Instant initialSince(Map<String, Map<String, Object>> snap) {
            Map<String, Object> state = liveState(snap);
            Map<String, String> t = state == null ? Map.of() : tags(state);
            String since = t.get("ovs_initial_since");
            return "pending".equals(t.get("ovs_initial")) && since != null
                    ? Instant.ofEpochMilli(Long.parseLong(since)) : null;
        }

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
            boolean removed = expectRemoved();
            check(forced ? "converged" : "converged without force", now, now, removed, recorded.size());
            Map<String, Object> state = liveState(now);
            if (!forgotten && !recorded.isEmpty() && (state == null
                    || !(removed ? "removed" : "active").equals(tags(state).get("ovs_mode")))) {
                fail("the state secret does not say what " + recorded.get(recorded.size() - 1) + " asked: "
                        + (state == null ? "none" : tags(state)) + trace());
            }
            Set<String> held = new HashSet<>();
            foreign.keySet().forEach(id -> now.values().stream().filter(s -> id.equals(s.get("id")))
                    .forEach(s -> held.add((String) s.get("name"))));
            adoptable.forEach(id -> now.values().stream().filter(s -> id.equals(s.get("id")))
                    .filter(s -> tags(s).get("ovs_sync") == null && (!"ACTIVE".equals(s.get("lifecycleState"))
                            || abandoned.contains(id)))
                    .forEach(s -> held.add((String) s.get("name"))));
            for (Map<String, Object> s : now.values()) {
                if (!"app".equals(tags(s).get("ovs_sync")) || !"ACTIVE".equals(s.get("lifecycleState"))) {
                    continue;
                }
                if (removed) {
                    fail("a removed sync's secret is ACTIVE: " + s.get("name") + trace());
                }
                if (forced && !source.containsKey(tags(s).get("ovs_key"))) {
                    fail("owned " + s.get("name") + " is ACTIVE but its key is not in the source" + trace());
                }
            }
            if (!removed) {
                for (Map.Entry<String, String> e : source.entrySet()) {
                    String name = "app-" + e.getKey();
                    if (held.contains(name)) {
                        continue;
                    }
                    Map<String, Object> s = now.get(name);
                    if (s == null || !"ACTIVE".equals(s.get("lifecycleState"))
                            || !b64(e.getValue()).equals(s.get("content"))) {
                        fail("the vault does not hold the source's value for " + name + " (" + (s == null ? "absent"
                                : s.get("lifecycleState")) + ", " + (forced ? "after a forced sync" : "without force")
                                + ")" + trace());
                    }
                }
            }
        }

        void check(String op, Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after,
                boolean removedBefore, int recordsBefore) {
            for (Map.Entry<String, String> f : foreign.entrySet()) {
                Map<String, Object> s = byId(after, f.getKey());
                if (s == null || !b64(f.getValue()).equals(s.get("content"))
                        || !"ACTIVE".equals(s.get("lifecycleState")) || "app".equals(tags(s).get("ovs_sync"))) {
                    fail("foreign secret changed by '" + op + "'" + trace());
                }
            }
            boolean removedAfter = expectRemoved();
            boolean removeAsked = recorded.subList(recordsBefore, recorded.size()).stream().anyMatch(Asked::remove);
            for (Map<String, Object> s : after.values()) {
                Map<String, Object> was = byId(before, (String) s.get("id"));
                String state = (String) s.get("lifecycleState");
                boolean deleting = state.equals("PENDING_DELETION") || state.equals("SCHEDULING_DELETION");
                boolean wasLive = was != null && List.of("ACTIVE", "UPDATING", "CREATING", "CANCELLING_DELETION")
                        .contains(was.get("lifecycleState"));
                String key = tags(s).get("ovs_key");
                if (deleting && wasLive && !removedBefore && !removedAfter && !removeAsked
                        && !deletedOutOfBand.contains(s.get("id")) && "app".equals(tags(s).get("ovs_sync"))
                        && key != null && source.containsKey(key)) {
                    fail("'" + op + "' deleted " + s.get("name") + " while the source has it and no remove was "
                            + "asked" + trace());
                }
                if (removedBefore && removedAfter && recorded.size() == recordsBefore && was != null
                        && "app".equals(tags(s).get("ovs_sync")) && !wasLive && state.equals("ACTIVE")) {
                    fail("a removed sync's secret came back by itself: " + s.get("name") + " after '" + op + "'"
                            + trace());
                }
            }
            if (op.startsWith("converged")) {
                List<String> leaks = watch.leaks(canaries);
                if (!leaks.isEmpty()) {
                    fail("a value appeared in a report or log: " + leaks.get(0) + trace());
                }
            }
        }

        /** The sync's live state secret (the newest generation), or null. */
        static Map<String, Object> liveState(Map<String, Map<String, Object>> snap) {
            return snap.values().stream().filter(s -> "app".equals(tags(s).get("ovs_state"))
                    && List.of("ACTIVE", "CREATING", "UPDATING", "CANCELLING_DELETION").contains(s.get("lifecycleState")))
                    .max(java.util.Comparator.comparingLong(s -> Long.parseLong(tags(s).getOrDefault("ovs_gen", "0"))))
                    .orElse(null);
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
            return "\n  seed " + seed + ", newest recorded: " + (recorded.isEmpty() ? "none"
                    : recorded.get(recorded.size() - 1)) + (forgotten ? " (forgotten)" : "") + ", steps: "
                    + String.join(" | ", log);
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

    }
}
