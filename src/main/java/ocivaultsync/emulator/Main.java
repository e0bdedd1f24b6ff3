package ocivaultsync.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator on its own:
 * {@code java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' ocivaultsync.emulator.Main --port 9801}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        EmulatorOptions o = EmulatorOptions.defaults().withPort(9801);
        String trustKeyId = null;
        String trustPem = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                usage();
                return;
            }
            if (flag.equals("--no-verify")) {
                o = o.withVerifySignatures(false);
                continue;
            }
            if (i + 1 >= args.length) {
                fail("missing value for " + flag);
            }
            String v = args[++i];
            switch (flag) {
                case "--port" -> o = o.withPort(Integer.parseInt(v));
                case "--host" -> o = o.withHost(v);
                case "--latency-ms" -> o = o.withLatencyMs(Long.parseLong(v));
                case "--transition-ms" -> o = o.withTransitionMs(Long.parseLong(v));
                case "--page-size" -> o = o.withPageSize(Integer.parseInt(v));
                case "--seed" -> o = o.withSeed(Long.parseLong(v));
                case "--max-secrets" -> o = o.withMaxSecrets(Integer.parseInt(v));
                case "--trust-key-id" -> trustKeyId = v;
                case "--trust-public-key" -> trustPem = Files.readString(Path.of(v));
                default -> fail("unknown flag " + flag);
            }
        }
        OciVaultEmulator emulator = new OciVaultEmulator(o);
        emulator.start();
        if (trustKeyId != null && trustPem != null) {
            emulator.signer().trust(trustKeyId, trustPem);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        System.out.println("oci-vault-emulator listening on " + emulator.endpoint() + " " + Json.write(emulator.info()));
        System.out.flush();
        stopped.await();
    }

    private static void usage() {
        System.out.println("""
                usage: Main [--port 9801] [--host 127.0.0.1] [--latency-ms 0] [--transition-ms 0] [--page-size 50]
                            [--seed 42] [--max-secrets 5000] [--no-verify]
                            [--trust-key-id <tenancy>/<user>/<fingerprint> --trust-public-key <pem file>]
                Admin API: GET /_emulator/info, POST /_emulator/api-keys, POST /_emulator/reset, GET /_emulator/secrets,
                POST|DELETE /_emulator/faults, GET|DELETE /_emulator/calls, POST /_emulator/clock,
                GET /_emulator/invocations""");
    }

    private static void fail(String message) {
        System.err.println("oci-vault-emulator: " + message + " (--help lists the flags)");
        System.exit(2);
    }
}
