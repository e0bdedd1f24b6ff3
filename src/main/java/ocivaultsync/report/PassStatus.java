package ocivaultsync.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ocivaultsync.reconcile.OwnershipTags;
import ocivaultsync.reconcile.ResultStatus;

/**
 * What a sync's passes have come to, kept in four tags of its state secret (docs/ARCHITECTURE.md, "State kept in OCI")
 * and answered by the {@code status} function: the last pass's outcome, since when it holds, how many passes in a row
 * failed, and why the last failing one failed. Passes write it, and only when it changes: a pass with the outcome
 * already recorded and no failure to count writes nothing, so a steady pass still costs list calls only.
 *
 * <table>
 * <caption>Tags</caption>
 * <tr><th>tag</th><th>value</th></tr>
 * <tr><td>{@code ovs_status}</td><td>{@code SUCCEEDED}, {@code PARTIAL}, {@code BLOCKED}, {@code DEFERRED} or
 *     {@code FAILED}: the last pass's {@link PassOutcome} (a SKIPPED sync ran no pass and records nothing)</td></tr>
 * <tr><td>{@code ovs_status_since}</td><td>epoch ms, OCI's clock (the {@code Date} of its answers), when the first
 *     pass with that outcome ended; absent when OCI's answers did not say</td></tr>
 * <tr><td>{@code ovs_failures}</td><td>passes in a row that FAILED, were PARTIAL or BLOCKED; 0 once one
 *     succeeds or defers</td></tr>
 * <tr><td>{@code ovs_reason}</td><td>while failures are counted: the last failing pass's error, or its first failed
 *     or blocked result ({@code name: reason}); taken from the report, whose texts are redacted, then reduced to
 *     printable ASCII and cut to {@value #MAX_REASON} characters, well under OCI's 256 per tag value</td></tr>
 * </table>
 *
 * @param outcome  the last pass's outcome
 * @param since    when that outcome began, by OCI's clock
 * @param failures consecutive failed passes
 * @param reason   why the last failing pass failed; empty when {@code failures} is 0
 */
public record PassStatus(PassOutcome outcome, Optional<Instant> since, int failures, Optional<String> reason) {

    /** The status tags, all of them (a write replaces these and keeps every other tag). */
    public static final List<String> TAGS = List.of(OwnershipTags.STATUS, OwnershipTags.STATUS_SINCE,
            OwnershipTags.FAILURES, OwnershipTags.REASON);

    /**
     * Longest reason kept. OCI allows 256 characters in a freeform tag value (docs/ASSUMPTIONS.md, "Tag values"); the
     * reason stays well under, so a cut never meets the limit.
     */
    public static final int MAX_REASON = 160;

    public PassStatus {
        since = since == null ? Optional.empty() : since;
        reason = reason == null ? Optional.empty() : reason;
    }

    /** The status the tags hold; empty when they hold none (or an outcome no pass records). */
    public static Optional<PassStatus> of(Map<String, String> tags) {
        String outcome = tags.get(OwnershipTags.STATUS);
        Optional<PassOutcome> o;
        try {
            o = outcome == null ? Optional.empty() : Optional.of(PassOutcome.valueOf(outcome));
        } catch (IllegalArgumentException e) {
            o = Optional.empty();
        }
        return o.map(s -> new PassStatus(s, number(tags.get(OwnershipTags.STATUS_SINCE)).map(Instant::ofEpochMilli),
                number(tags.get(OwnershipTags.FAILURES)).filter(n -> n >= 0 && n <= Integer.MAX_VALUE)
                        .map(Long::intValue).orElse(0),
                Optional.ofNullable(tags.get(OwnershipTags.REASON))));
    }

    /**
     * The status after a pass with {@code outcome} ended at {@code at} (OCI's clock) over {@code previous}: since
     * carries over while the outcome stays; failures count on while passes fail.
     */
    public static PassStatus after(Optional<PassStatus> previous, PassOutcome outcome, Optional<String> reason,
            Optional<Instant> at) {
        boolean same = previous.isPresent() && previous.get().outcome() == outcome;
        Optional<Instant> since = same ? previous.get().since() : at;
        if (!outcome.failing()) {
            return new PassStatus(outcome, since, 0, Optional.empty());
        }
        int before = previous.map(PassStatus::failures).orElse(0);
        return new PassStatus(outcome, since, before == Integer.MAX_VALUE ? before : before + 1,
                Optional.of(shortReason(reason.orElse("no reason given"))));
    }

    /**
     * The reason a failing report gives: its error when the pass stopped, else its first failed or blocked result
     * (results are sorted by name). Report texts are redacted where they are made.
     */
    public static Optional<String> reasonOf(SyncReport report) {
        if (report.error() != null) {
            return Optional.of(report.error());
        }
        return report.results().stream()
                .filter(r -> r.status() == ResultStatus.FAILED || r.status() == ResultStatus.BLOCKED).findFirst()
                .map(r -> r.name() + ": " + (r.reason() == null ? r.status().name().toLowerCase() : r.reason()));
    }

    /** The four tags as written (since and reason only when known). */
    public Map<String, String> tags() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(OwnershipTags.STATUS, outcome.name());
        since.ifPresent(t -> out.put(OwnershipTags.STATUS_SINCE, Long.toString(t.toEpochMilli())));
        out.put(OwnershipTags.FAILURES, Integer.toString(failures));
        reason.ifPresent(r -> out.put(OwnershipTags.REASON, r));
        return out;
    }

    /** {@code tags} with this status in place of whatever status they held; every other tag as it was. */
    public Map<String, String> overlay(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.keySet().removeAll(TAGS);
        out.putAll(tags());
        return Map.copyOf(out);
    }

    /** Printable ASCII only (no line breaks, whatever a server's message held), cut to {@link #MAX_REASON}. */
    static String shortReason(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= MAX_REASON; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (out.length() > MAX_REASON) {
            out.setLength(MAX_REASON - 3);
            out.append("...");
        }
        return out.toString();
    }

    private static Optional<Long> number(String v) {
        try {
            return v == null ? Optional.empty() : Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
