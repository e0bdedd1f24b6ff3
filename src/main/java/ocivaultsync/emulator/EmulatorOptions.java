package ocivaultsync.emulator;

/**
 * How an emulator runs.
 *
 * @param host              the interface to bind
 * @param port              0 for any free port
 * @param latencyMs         added to every API call (not the admin API)
 * @param transitionMs      how long CREATING, UPDATING, SCHEDULING_DELETION, CANCELLING_DELETION and DELETING last;
 *                          0 makes transitions immediate
 * @param pageSize          ListSecrets page size when the caller sets no {@code limit}
 * @param seed              seeds fault injection and id generation
 * @param verifySignatures  whether requests must carry a valid OCI signature
 * @param maxSecrets        OCI's per-tenancy limit (5,000); raise it for benchmarks
 * @param maxVersions       versions per secret not pending deletion (OCI: 30)
 * @param transitionMinMs   when above 0 and below {@code transitionMs}, each transition lasts a seeded random time
 *                          between the two (real OCI's transitions vary)
 */
public record EmulatorOptions(String host, int port, long latencyMs, long transitionMs, int pageSize, long seed,
        boolean verifySignatures, int maxSecrets, int maxVersions, long transitionMinMs) {

    public static final int DEFAULT_PAGE_SIZE = 50;

    public static EmulatorOptions defaults() {
        return new EmulatorOptions("127.0.0.1", 0, 0, 0, DEFAULT_PAGE_SIZE, 42L, true, 5000, 30, 0);
    }

    public EmulatorOptions withPort(int p) {
        return new EmulatorOptions(host, p, latencyMs, transitionMs, pageSize, seed, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }

    public EmulatorOptions withLatencyMs(long l) {
        return new EmulatorOptions(host, port, l, transitionMs, pageSize, seed, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }

    public EmulatorOptions withTransitionMs(long t) {
        return new EmulatorOptions(host, port, latencyMs, t, pageSize, seed, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }

    /** Each transition lasts a seeded random time between {@code minMs} and {@code maxMs}. */
    public EmulatorOptions withTransitionsBetween(long minMs, long maxMs) {
        return new EmulatorOptions(host, port, latencyMs, maxMs, pageSize, seed, verifySignatures, maxSecrets,
                maxVersions, minMs);
    }

    public EmulatorOptions withPageSize(int s) {
        return new EmulatorOptions(host, port, latencyMs, transitionMs, s, seed, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }

    public EmulatorOptions withSeed(long s) {
        return new EmulatorOptions(host, port, latencyMs, transitionMs, pageSize, s, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }

    public EmulatorOptions withVerifySignatures(boolean v) {
        return new EmulatorOptions(host, port, latencyMs, transitionMs, pageSize, seed, v, maxSecrets, maxVersions,
                transitionMinMs);
    }

    public EmulatorOptions withMaxSecrets(int m) {
        return new EmulatorOptions(host, port, latencyMs, transitionMs, pageSize, seed, verifySignatures, m,
                maxVersions, transitionMinMs);
    }

    public EmulatorOptions withHost(String h) {
        return new EmulatorOptions(h, port, latencyMs, transitionMs, pageSize, seed, verifySignatures, maxSecrets,
                maxVersions, transitionMinMs);
    }
}
