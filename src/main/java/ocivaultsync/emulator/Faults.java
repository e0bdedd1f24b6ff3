package ocivaultsync.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Injected faults, decided with a seeded random so a failing run can be replayed. A rule matches an operation (or
 * {@code *}), fires with probability {@code rate}, at most {@code count} times, and adds latency, answers an error
 * status, or drops the connection; with {@code after} the operation is carried out first and only its answer is
 * lost, the case that tests idempotency.
 */
public final class Faults {

    /**
     * @param operation the API operation name ({@code ListSecrets}, {@code CreateSecret}, …) or {@code *}
     * @param status    the error status to answer, or 0 for none
     * @param rate      probability 0..1 that a matching call is hit
     * @param count     how many calls at most; {@code null} for no limit
     * @param latencyMs added delay for a hit call
     * @param after     carry the operation out, then fail its answer
     * @param reset     drop the connection instead of answering
     */
    public record Rule(String operation, int status, double rate, Integer count, long latencyMs, boolean after,
            boolean reset) {
    }

    /** What happens to one call. */
    public record Decision(long latencyMs, OciError error, boolean after, boolean reset) {
        static final Decision NONE = new Decision(0, null, false, false);

        boolean fails() {
            return error != null || reset;
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<int[]> fired = new ArrayList<>();
    private final Random random;
    private long injected;

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    public synchronized int add(Rule rule) {
        if (rule.rate() < 0 || rule.rate() > 1) {
            throw OciError.invalid("rate must be between 0 and 1.");
        }
        rules.add(rule);
        fired.add(new int[1]);
        return rules.size() - 1;
    }

    /** Drops every rule and zeroes the count of injected faults. */
    public synchronized void clear() {
        rules.clear();
        fired.clear();
        injected = 0;
    }

    public synchronized long injected() {
        return injected;
    }

    public synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            out.add(Map.of("operation", r.operation(), "status", r.status(), "rate", r.rate(),
                    "fired", fired.get(i)[0]));
        }
        return out;
    }

    synchronized Decision decide(String operation) {
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (!r.operation().equals("*") && !r.operation().equals(operation)) {
                continue;
            }
            if (r.count() != null && fired.get(i)[0] >= r.count()) {
                continue;
            }
            if (random.nextDouble() >= r.rate()) {
                continue;
            }
            fired.get(i)[0]++;
            injected++;
            return new Decision(r.latencyMs(), r.status() > 0 ? OciError.forStatus(r.status()) : null, r.after(),
                    r.reset());
        }
        return Decision.NONE;
    }
}
