package ocivaultsync.function;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import ocivaultsync.config.Ocids;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.RequestException;

/**
 * The principals the operator lists, outside the configuration secret, as the only callers of the functions that
 * change intent, widen a pass or show secret names ({@link Access#OPERATOR}). A caller is who OCI Functions says it is:
 * the {@code oci-subject-id} header it adds to every IAM-authenticated invocation (docs/ASSUMPTIONS.md, "Who calls").
 *
 * <p>Only users may be listed: they are the only manual callers whose header is evidenced. A call whose header is
 * missing, empty or present more than once is refused (a caller may add a header of the same name beside OCI's, and
 * which of them is OCI's is unknown). A refusal costs nothing: it is decided from the headers alone, before the
 * configuration is read, and it names no sync and no secret.
 */
public final class Operators {

    /** The setting, as every message names it. */
    public static final String SETTING = "ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS)";
    /** The header OCI Functions names the verified caller in. */
    public static final String SUBJECT_HEADER = "oci-subject-id";
    public static final int STATUS = 403;
    public static final String CODE = "NOT_AUTHORIZED";
    /** An OCID is echoed in a refusal only when it has an OCID's characters and length: it is the caller's input. */
    private static final Pattern ECHOABLE = Pattern.compile("^ocid1\\.[a-z0-9.-]{1,250}$");

    private final Set<String> ids;

    private Operators(Set<String> ids) {
        this.ids = Set.copyOf(ids);
    }

    /** Nobody: every operator function is refused, naming the setting. */
    public static Operators none() {
        return new Operators(Set.of());
    }

    /**
     * The listed principals; blank entries are ignored (an empty setting lists none).
     *
     * @throws IllegalArgumentException naming the setting and the entry, for an entry that is not a user OCID
     */
    public static Operators of(List<String> entries) {
        Set<String> ids = new LinkedHashSet<>();
        int i = 0;
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim();
            i++;
            if (e.isEmpty()) {
                continue;
            }
            if (!Ocids.isOcid(e, Set.of("user"))) {
                String what = ECHOABLE.matcher(e).matches() ? e : "entry " + i;
                throw new IllegalArgumentException(SETTING + ": " + what + " is not a user OCID (ocid1.user.<realm>.."
                        + "<id>); only users may be operators, the one kind of caller whose identity OCI is known to "
                        + "pass to a function (docs/ASSUMPTIONS.md, \"Who calls\")");
            }
            ids.add(e);
        }
        return new Operators(ids);
    }

    /** Whether anyone is listed. */
    public boolean any() {
        return !ids.isEmpty();
    }

    /**
     * Lets the call through when its caller is listed.
     *
     * @param function the function asked for, named in the refusal
     * @throws RequestException 403 {@code NOT_AUTHORIZED}
     */
    void authorize(String function, CallContext ctx) {
        String who = function + " is for the operators listed in " + SETTING;
        if (ids.isEmpty()) {
            throw refused(function + " is for operators, and " + SETTING + " lists none; the operator sets it to the "
                    + "OCIDs of the users who may call sync, plan, import and remove");
        }
        List<String> values = ctx.headerValues(SUBJECT_HEADER);
        if (values.isEmpty()) {
            throw refused(who + ", and the call carries no " + SUBJECT_HEADER + " header (the caller OCI Functions "
                    + "names)");
        }
        if (values.size() > 1) {
            throw refused(who + ", and the call carries the " + SUBJECT_HEADER + " header " + values.size()
                    + " times; a caller named more than once is not known");
        }
        String caller = values.get(0) == null ? "" : values.get(0).trim();
        if (caller.isEmpty()) {
            throw refused(who + ", and the call's " + SUBJECT_HEADER + " header is empty");
        }
        if (!ids.contains(caller)) {
            throw refused(who + ", and the caller " + (ECHOABLE.matcher(caller).matches() ? caller + " " : "")
                    + "is not one of them");
        }
    }

    private static RequestException refused(String message) {
        return new RequestException(STATUS, CODE, message);
    }
}
