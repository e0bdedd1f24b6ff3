package ocivaultsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import ocivaultsync.config.ConfigBuilder;
import ocivaultsync.config.SyncConfig;
import ocivaultsync.emulator.ApiKeys;
import ocivaultsync.emulator.EmulatedVault;
import ocivaultsync.oci.OciClients;
import ocivaultsync.oci.OciOptions;
import ocivaultsync.oci.SecretResolver;
import ocivaultsync.apply.Executor;
import ocivaultsync.e2e.Harness;
import ocivaultsync.run.RunRequest;
import ocivaultsync.report.SyncReport;
import ocivaultsync.reconcile.Verify;
import ocivaultsync.run.SyncRunner;
import ocivaultsync.run.SourceFactory;
import ocivaultsync.run.VaultFactory;
import ocivaultsync.source.infisical.InfisicalSources;
import org.junit.jupiter.api.Test;

/**
 * The figures of BENCHMARKS.md, measured against the standalone emulator with a per-call latency (20 ms by default),
 * and
 * the same work done the way existing sync tools do it, side by side. Not part of {@code verify}: run
 * {@code ./mvnw -B verify -Pbench} (options: {@code -Dbench.sizes=100,1000,5000 -Dbench.latency-ms=20
 * -Dbench.memory-secrets=5000 -Dbench.starts=3 -Dbench.parallelisms=1,4,8,12,16}; an empty size list or 0 secrets
 * skips that part). Writes
 * {@code target/bench/results.json} and {@code results.md}.
 */
class SyncBenchmark {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
    static final String USER = "ocid1.user.oc1..bench";
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CP = "target/quarkus-app/app/*" + File.pathSeparator + "target/quarkus-app/lib/main/*";
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    String emulator;
    Path dir;
    Path keyFile;
    OciClients clients;
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<String> md = new ArrayList<>();
    final Map<Integer, Long> naiveInitialMs = new HashMap<>();
    /** The one caller the benchmarked jar lets call sync and plan (ovs.operator-principal-ids). */
    static final String OPERATOR = "ocid1.user.oc1..benchoperator";

    /** The default of ovs.sync.parallelism (OvsSettings). */
    static final int DEFAULT_PARALLELISM = 8;
    static final int STARTS = Integer.getInteger("bench.starts", 3);

    @Test
    void measure() throws Exception {
        int latency = Integer.getInteger("bench.latency-ms", 20);
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.sizes", "100,1000,5000").split(",")) {
            if (!s.isBlank()) {
                sizes.add(Integer.parseInt(s.trim()));
            }
        }
        dir = Files.createTempDirectory("ovs-bench");
        ApiKeys.ApiKey key = ApiKeys.generate();
        keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, key.privateKeyPem());
        Files.writeString(dir.resolve("pub.pem"), key.publicKeyPem());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process emu = new ProcessBuilder(JAVA, "-cp", CP, "ocivaultsync.emulator.Main", "--port", String.valueOf(port),
                "--latency-ms", String.valueOf(latency), "--max-secrets", "100000", "--trust-key-id",
                key.keyId(TENANCY, USER), "--trust-public-key", dir.resolve("pub.pem").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(emu.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("oci-vault-emulator listening")) {
            // start-up
        }
        emulator = "http://127.0.0.1:" + port;
        clients = new OciClients(new OciOptions(OciOptions.AuthMode.API_KEY, Optional.of("eu-frankfurt-1"),
                Optional.of(emulator), Optional.of(emulator), Optional.of(emulator), "x",
                "DEFAULT", new OciOptions.ApiKey(Optional.of(TENANCY), Optional.of(USER), Optional.empty(),
                        Optional.of(keyFile.toString()), Optional.empty(), Optional.of("eu-frankfurt-1")),
                3, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), Optional.empty()));
        try {
            results.put("machine", machine());
            results.put("latencyMsPerCall", latency);
            md.add("Emulator latency: " + latency + " ms per call. Machine: " + results.get("machine") + ".");
            md.add("");
            md.add("| managed + unmanaged | pass | oci-vault-sync (parallelism " + DEFAULT_PARALLELISM + ") | calls "
                    + "list/read/write | existing tools (sequential, reads every bundle) | calls list/read/write | "
                    + "limit for our calls | existing tools ÷ ours | ours ÷ limit |");
            md.add("|---|---|---|---|---|---|---|---|---|");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int n : sizes) {
                if (n <= 0) {
                    continue;
                }
                rows.addAll(size(n));
            }
            results.put("passes", rows);
            md.add("");
            md.add("| initial sync of 1,000 secrets (+ 1,000 unmanaged) | wall time | limit | ours ÷ limit "
                    + "| existing tools (same run, above) ÷ ours |");
            md.add("|---|---|---|---|---|");
            Map<String, Object> par = new LinkedHashMap<>();
            long naive1000 = naiveInitialMs.getOrDefault(1000, 0L);
            for (String ps : System.getProperty("bench.parallelisms", "1,4,8,12,16").split(",")) {
                if (ps.isBlank()) {
                    continue;
                }
                int p = Integer.parseInt(ps.trim());
                Measured m = initialAtParallelism(1000, p);
                long limit = limitMs(m, p, latency);
                par.put("parallelism" + p + "Ms", m.ms);
                par.put("parallelism" + p + "LimitMs", limit);
                md.add("| parallelism " + p + (p == DEFAULT_PARALLELISM ? " (the default)" : "") + " | "
                        + seconds(m.ms) + " | " + seconds(limit) + " | " + ratio(m.ms, limit) + " | "
                        + (naive1000 > 0 ? ratio(naive1000, m.ms) : "—") + " |");
            }
            results.put("initial1000", par);
            if (par.containsKey("parallelism" + DEFAULT_PARALLELISM + "Ms")) {
                Long atDefault = (Long) par.getOrDefault("parallelism" + DEFAULT_PARALLELISM + "Ms", 1L);
                double perSecond = 1000.0 / (atDefault / 1000.0);
                long fits = (long) (perSecond * 280); // 300 s less the start, the listing and the answer
                results.put("largestSyncIn300s", Map.of("createsPerSecondAtDefaultParallelism", Math.round(perSecond),
                        "estimatedSecrets", fits));
                md.add("");
                md.add("Largest initial sync inside one 300 s invocation (parallelism " + DEFAULT_PARALLELISM
                        + ", measured rate " + Math.round(perSecond)
                        + " creates/s): about " + fits + " secrets; OCI's per-tenancy limit is 5,000.");
                md.add("");
            }
            md.add("");
            md.add("| packaged jar (JVM " + System.getProperty("java.version") + ") | to listening (first response) "
                    + "| 1st plan (sent as soon as it listens) | 2nd plan | 1st − 2nd | CPU to listening | CPU 1st − 2nd "
                    + "| RSS after a sync |");
            md.add("|---|---|---|---|---|---|---|---|");
            Map<String, Object> jars = new LinkedHashMap<>();
            Path cds = STARTS > 0 ? appCdsArchive() : null;
            Map<String, List<String>> variants = new LinkedHashMap<>();
            variants.put("default JVM flags", List.of());
            variants.put("JVM image flags, no warm-up", with(IMAGE_FLAGS, "-Dovs.oci.warm-up=false"));
            variants.put("JVM image flags", IMAGE_FLAGS);
            if (cds != null) {
                variants.put("JVM image flags + AppCDS", with(IMAGE_FLAGS, "-XX:SharedArchiveFile=" + cds));
            }
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                if (STARTS <= 0) {
                    break; // -Dbench.starts=0 skips the start-up rows
                }
                Map<String, Object> startup = startup(v.getValue());
                jars.put(v.getKey(), startup);
                md.add("| " + v.getKey() + " | " + startup.get("listeningMedianMs") + " ms | "
                        + startup.get("firstPlanMedianMs") + " ms | " + startup.get("secondPlanMedianMs") + " ms | "
                        + startup.get("firstMinusSecondMedianMs") + " ms | " + startup.get("cpuToListeningMedianMs")
                        + " ms | " + startup.get("cpuFirstMinusSecondMedianMs") + " ms | "
                        + startup.get("rssAfterSyncMb") + " MB |");
            }
            md.add("");
            md.add("Medians of " + STARTS + " starts each; a plan is one list call plus planning. AppCDS: "
                    + (cds != null ? "an archive made as the JVM image (Dockerfile) makes it (" + cds + ")"
                            : "not measured (no archive was written)") + ".");
            results.put("packagedJar", jars);
            int big = Integer.getInteger("bench.memory-secrets", 5000);
            if (big > 0) {
                Map<String, Object> mem = memory(big, latency);
                results.put("packagedJarMemory", mem);
                md.add("");
                md.add("| packaged jar, JVM image flags, -XX:MaxRAM=256m | initial sync of " + big + " secrets "
                        + "| peak RSS (VmHWM) | RSS after | heap committed after |");
                md.add("|---|---|---|---|---|");
                md.add("| " + String.join(" ", IMAGE_FLAGS) + " | " + seconds((Long) mem.get("syncMs")) + " | "
                        + mem.get("peakRssMb") + " MB | " + mem.get("rssAfterMb") + " MB | "
                        + mem.get("heapCommittedMb") + " MB |");
            }
            Path target = Path.of("target/bench");
            Files.createDirectories(target);
            Files.writeString(target.resolve("results.json"), JSON.writeValueAsString(results));
            Files.writeString(target.resolve("results.md"), String.join("\n", md) + "\n");
            System.out.println(String.join("\n", md));
        } finally {
            clients.close();
            emu.destroy();
            emu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private List<Map<String, Object>> size(int n) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, String> source = source(n);
        // ---- oci-vault-sync ----
        reset(n);
        SyncRunner runner = runner(source, DEFAULT_PARALLELISM);
        Measured ours1 = measure(() -> runner.run(runner.config(), RunRequest.manual(null, false)).syncs().get(0));
        Measured ours2 = measure(() -> runner.run(runner.config(), RunRequest.manual(null, false)).syncs().get(0));
        Measured ours3 = measure(() -> runner.run(runner.config(), RunRequest.manual(null, false).withVerify(Verify.DEEP)).syncs()
                .get(0));
        // ---- the way existing tools do it ----
        reset(n);
        Measured naive1 = measure(() -> naivePass(source));
        Measured naive2 = measure(() -> naivePass(source));
        naiveInitialMs.put(n, naive1.ms);
        rows.add(row(n, "initial sync", ours1, naive1));
        rows.add(row(n, "steady pass (fast)", ours2, naive2));
        rows.add(row(n, "deep pass", ours3, naive2));
        return rows;
    }

    private Map<String, Object> row(int n, String pass, Measured ours, Measured naive) {
        double ratio = (double) naive.ms / Math.max(1, ours.ms);
        int latency = Integer.getInteger("bench.latency-ms", 20);
        long limit = limitMs(ours, DEFAULT_PARALLELISM, latency);
        md.add("| " + n + " + " + n + " | " + pass + " | " + seconds(ours.ms) + " | " + ours.calls + " | "
                + seconds(naive.ms) + " | " + naive.calls + " | " + seconds(limit) + " | "
                + String.format("%.1f×", ratio) + " | " + ratio(ours.ms, limit) + " |");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("managed", n);
        r.put("unmanaged", n);
        r.put("pass", pass);
        r.put("oursMs", ours.ms);
        r.put("oursCalls", ours.calls);
        r.put("existingToolsMs", naive.ms);
        r.put("existingToolsCalls", naive.calls);
        r.put("ratio", Math.round(ratio * 10) / 10.0);
        r.put("limitMs", limit);
        r.put("oursOverLimit", Math.round((double) ours.ms / Math.max(1, limit) * 100) / 100.0);
        return r;
    }

    /**
     * The physical limit of a pass's calls: list pages follow one another (each page's token comes from the one
     * before), the reads and writes share {@code parallelism} lanes, every call costs the emulator's latency.
     */
    static long limitMs(Measured m, int parallelism, int latency) {
        return m.list * latency + (long) Math.ceil((double) (m.read + m.write) / parallelism) * latency;
    }

    static String ratio(long a, long b) {
        return String.format("%.2f×", (double) a / Math.max(1, b));
    }

    static List<String> with(List<String> flags, String more) {
        List<String> all = new ArrayList<>(flags);
        all.add(more);
        return all;
    }

    record Measured(long ms, String calls, long list, long read, long write) {
    }

    interface Pass {
        Object run() throws Exception;
    }

    private Measured measure(Pass p) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(emulator + "/_emulator/calls")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        long t = System.nanoTime();
        Object r = p.run();
        long ms = (System.nanoTime() - t) / 1_000_000;
        if (r instanceof SyncReport s && s.error() != null) {
            throw new IllegalStateException(s.error());
        }
        JsonNode calls = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(emulator + "/_emulator/calls"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        long list = calls.path("ListSecrets").asLong();
        long read = calls.path("GetSecretBundle").asLong();
        long write = calls.path("CreateSecret").asLong() + calls.path("UpdateSecret").asLong()
                + calls.path("ScheduleSecretDeletion").asLong();
        return new Measured(ms, list + "/" + read + "/" + write, list, read, write);
    }

    private Map<String, String> source(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(String.format("KEY_%05d", i), "value-" + i + "-" + "x".repeat(40));
        }
        return m;
    }

    /** An empty vault plus {@code n} unmanaged secrets (seeded through the admin API: no latency, not counted). */
    private void reset(int n) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(emulator + "/_emulator/reset")).POST(HttpRequest.BodyPublishers
                .noBody()).build(), HttpResponse.BodyHandlers.discarding());
        for (int i = 0; i < n; i++) {
            String body = "{\"name\":\"unmanaged-" + i + "\",\"content\":\"" + Base64.getEncoder().encodeToString(
                    ("other-" + i).getBytes(StandardCharsets.UTF_8)) + "\"}";
            http.send(HttpRequest.newBuilder(URI.create(emulator + "/_emulator/secrets")).POST(HttpRequest
                    .BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    /** One sync of a secrets file into the emulator's vault, under the benchmark's fingerprint key. */
    static ConfigBuilder config(String sync, Path file, String keySchema) {
        return ConfigBuilder.withFingerprintKey("benchmark-fingerprint-key-0123456789").sync(sync, s -> s
                .fileSource(file).destination(EmulatedVault.Identity.defaults()).keySchema(keySchema));
    }

    private SyncRunner runner(Map<String, String> source, int parallelism) throws IOException {
        Path file = dir.resolve("secrets.yaml");
        Files.writeString(file, Harness.YAML.writeValueAsString(source));
        SyncConfig cfg = config("bench", file, "app-{{secretKey}}").parse();
        SecretResolver resolver = new SecretResolver(clients);
        SourceFactory sources = SourceFactory.wire(new InfisicalSources(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Clock.systemUTC(), ocivaultsync.config.ConfigBuilder.TEST_HOSTS), resolver::resolveAfresh);
        return new SyncRunner(() -> cfg, sources, VaultFactory.oci(clients), resolver::resolve,
                new Executor.Settings(parallelism, 6, Duration.ofMillis(250), Duration.ofSeconds(8)),
                Duration.ofSeconds(3600), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), Set.of());
    }

    private Measured initialAtParallelism(int n, int parallelism) throws Exception {
        reset(n);
        SyncRunner runner = runner(source(n), parallelism);
        return measure(() -> runner.run(runner.config(), RunRequest.manual(null, false)).syncs().get(0));
    }

    /**
     * What existing syncs do per pass (BENCHMARKS.md, 'How each figure is compared'): list, read the bundle of every
     * ACTIVE
     * secret in the vault, then create or update one secret at a time. Given full pagination here (the tools read
     * one page and break beyond it), so the comparison is of the same, correct work.
     */
    private Object naivePass(Map<String, String> source) {
        var vaults = clients.vaults("eu-frankfurt-1");
        var secrets = clients.secrets("eu-frankfurt-1");
        Map<String, String> current = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        String page = null;
        do {
            ListSecretsResponse r = vaults.listSecrets(ListSecretsRequest.builder()
                    .compartmentId("ocid1.compartment.oc1..emulatorcompartment")
                    .vaultId("ocid1.vault.oc1.eu-frankfurt-1.emulatorvault").page(page).build());
            for (SecretSummary s : r.getItems()) {
                if (s.getLifecycleState() == SecretSummary.LifecycleState.Active) {
                    var b = secrets.getSecretBundle(GetSecretBundleRequest.builder().secretId(s.getId()).build());
                    current.put(s.getSecretName(), new String(Base64.getDecoder().decode(((Base64SecretBundleContentDetails)
                            b.getSecretBundle().getSecretBundleContent()).getContent()), StandardCharsets.UTF_8));
                    ids.put(s.getSecretName(), s.getId());
                }
            }
            page = r.getOpcNextPage();
        } while (page != null);
        source.forEach((k, v) -> {
            String name = "app-" + k;
            String b64 = Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
            if (!current.containsKey(name)) {
                vaults.createSecret(CreateSecretRequest.builder().createSecretDetails(CreateSecretDetails.builder()
                        .compartmentId("ocid1.compartment.oc1..emulatorcompartment")
                        .vaultId("ocid1.vault.oc1.eu-frankfurt-1.emulatorvault")
                        .keyId("ocid1.key.oc1.eu-frankfurt-1.emulatorkey").secretName(name)
                        .secretContent(Base64SecretContentDetails.builder().content(b64).build()).build()).build());
            } else if (!current.get(name).equals(v)) {
                vaults.updateSecret(UpdateSecretRequest.builder().secretId(ids.get(name)).updateSecretDetails(
                        UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder().content(b64)
                                .build()).build()).build());
            }
        });
        return null;
    }

    /** The flags the JVM image runs with, read from Dockerfile (the JVM image). */
    static final List<String> IMAGE_FLAGS = ocivaultsync.DockerfilesTest.jvmImageFlags();

    /**
     * Start-up of the packaged jar as OCI Functions drives it: the first request arrives the moment the port listens.
     * Measures the time to listening, the first and the second plan (the same work: one list call and planning), and
     * resident memory after a sync.
     */
    private Map<String, Object> startup(List<String> flags) throws Exception {
        reset(0); // a plan lists the vault: the same small vault for every start, whatever ran before
        Path file = dir.resolve("startup-secrets.yaml");
        Files.writeString(file, "A: a-value\nB: b-value\n");
        Path cfg = dir.resolve("startup.yaml");
        Files.writeString(cfg, config("startup", file, "startup-{{secretKey}}").yaml());
        List<Long> listening = new ArrayList<>();
        List<Long> firstPlan = new ArrayList<>();
        List<Long> secondPlan = new ArrayList<>();
        List<Long> extra = new ArrayList<>();
        List<Long> rssSync = new ArrayList<>();
        List<Long> cpuListening = new ArrayList<>();
        List<Long> cpuExtra = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            Jar jar = startJar(flags, cfg);
            try {
                listening.add(jar.listeningMs);
                long pid = jar.process.pid();
                long c0 = cpuMs(pid);
                long t = System.nanoTime();
                post(jar.base, "/plan", "{}");
                long first = (System.nanoTime() - t) / 1_000_000;
                long c1 = cpuMs(pid);
                t = System.nanoTime();
                post(jar.base, "/plan", "{}");
                long second = (System.nanoTime() - t) / 1_000_000;
                long c2 = cpuMs(pid);
                firstPlan.add(first);
                secondPlan.add(second);
                extra.add(first - second);
                cpuListening.add(c0);
                cpuExtra.add((c1 - c0) - (c2 - c1));
                post(jar.base, "/sync", "{}");
                rssSync.add(status(jar.process.pid(), "VmRSS:"));
            } finally {
                jar.stop();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flags", flags);
        m.put("listeningMedianMs", median(listening));
        m.put("firstPlanMedianMs", median(firstPlan));
        m.put("secondPlanMedianMs", median(secondPlan));
        m.put("firstMinusSecondMedianMs", median(extra));
        m.put("rssAfterSyncMb", median(rssSync));
        m.put("cpuToListeningMedianMs", median(cpuListening));
        m.put("cpuFirstMinusSecondMedianMs", median(cpuExtra));
        m.put("samples", Map.of("listeningMs", listening, "firstPlanMs", firstPlan, "secondPlanMs", secondPlan,
                "rssAfterSyncMb", rssSync, "cpuToListeningMs", cpuListening, "cpuFirstMinusSecondMs", cpuExtra));
        return m;
    }

    /** The packaged jar under the function's 256 MB, with the image's flags, syncing {@code n} secrets at once. */
    private Map<String, Object> memory(int n, int latency) throws Exception {
        reset(0);
        Path file = dir.resolve("memory-secrets.yaml");
        Files.writeString(file, Harness.YAML.writeValueAsString(source(n)));
        Path cfg = dir.resolve("memory.yaml");
        Files.writeString(cfg, config("memory", file, "mem-{{secretKey}}").yaml());
        Jar jar = startJar(with(IMAGE_FLAGS, "-XX:MaxRAM=256m"), cfg);
        try {
            long t = System.nanoTime();
            String report = post(jar.base, "/sync", "{}");
            long ms = (System.nanoTime() - t) / 1_000_000;
            JsonNode sync = JSON.readTree(report).path("syncs").path(0);
            if (!"SUCCEEDED".equals(sync.path("status").asText())) {
                throw new IllegalStateException("the " + n + "-secret sync did not succeed: " + sync.path("status")
                        + " " + sync.path("error"));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("secrets", n);
            m.put("latencyMsPerCall", latency);
            m.put("flags", with(IMAGE_FLAGS, "-XX:MaxRAM=256m"));
            m.put("syncMs", ms);
            m.put("peakRssMb", status(jar.process.pid(), "VmHWM:"));
            m.put("rssAfterMb", status(jar.process.pid(), "VmRSS:"));
            m.put("heapCommittedMb", heapCommittedMb(jar.process.pid()));
            return m;
        } finally {
            jar.stop();
        }
    }

    /**
     * Makes the AppCDS archive the way the JVM image (Dockerfile) does: the image's flags, no credentials, started from
     * the application's folder, stopped (SIGTERM) once it listens, which is after the warm-up. Null when no archive
     * came.
     */
    private Path appCdsArchive() throws Exception {
        Path archive = dir.resolve("app-cds.jsa");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(IMAGE_FLAGS);
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dquarkus.http.port=" + port, "-jar",
                "quarkus-run.jar"));
        Process p = new ProcessBuilder(cmd).directory(new File("target/quarkus-app")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return null;
        }
        return Files.exists(archive) && Files.size(archive) > 0 ? archive : null;
    }

    record Jar(Process process, URI base, long listeningMs) {
        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the packaged jar from its own folder (where an AppCDS archive must be used from) and waits for it. */
    private Jar startJar(List<String> flags, Path cfg) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(flags);
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dovs.config-file=" + cfg,
                "-Dovs.allow-inline-secrets=true", "-Dovs.oci.auth=api-key", "-Dovs.operator-principal-ids=" + OPERATOR,
                "-Dovs.oci.api-key.tenancy-id=" + TENANCY, "-Dovs.oci.api-key.user-id=" + USER,
                "-Dovs.oci.api-key.private-key-file=" + keyFile, "-Dovs.oci.api-key.region=eu-frankfurt-1",
                "-Dovs.oci.vaults-endpoint=" + emulator, "-Dovs.oci.secrets-endpoint=" + emulator,
                "-Dovs.oci.monitoring-endpoint=" + emulator, "-jar", "quarkus-run.jar"));
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(new File("target/quarkus-app")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(base.resolve("/none")).build(), HttpResponse.BodyHandlers.discarding());
                break;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the packaged jar exited with " + p.exitValue() + ": " + cmd);
                }
                Thread.sleep(5);
            }
        }
        return new Jar(p, base, (System.nanoTime() - t) / 1_000_000);
    }

    private String post(URI base, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("content-type", "application/json").header("oci-subject-id", OPERATOR)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Heap committed, from the JDK's jcmd (the same JDK runs the jar). */
    private static long heapCommittedMb(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            long kb = 0;
            var m = java.util.regex.Pattern.compile("total (\\d+)K").matcher(out);
            while (m.find()) {
                kb += Long.parseLong(m.group(1));
            }
            return kb / 1024;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static long status(long pid, String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field)) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * CPU time (user + sys) the process has used, in ms, from /proc/&lt;pid&gt;/stat (in clock ticks of 10 ms, Linux's
     * USER_HZ): a figure the machine's load barely moves, unlike wall time.
     */
    private static long cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.get(s.size() / 2);
    }

    private static String seconds(long ms) {
        return String.format("%.2f s", ms / 1000.0);
    }

    private static String machine() throws IOException {
        String cpu = "?";
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (l.startsWith("model name")) {
                cpu = l.substring(l.indexOf(':') + 1).trim();
                break;
            }
        }
        long memKb = 0;
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memKb / 1024 / 1024)
                + " GiB, Java " + System.getProperty("java.version");
    }
}
