package ocivaultsync.function;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The functions, the one table of them (README, "Calling it"): the names callers use ({@code POST /<name>} locally,
 * {@code "function"} in the body of an IAM-authenticated invocation, {@code FN_TARGET}), and what each may do. A rule
 * that differs by function is a column of this table, so no transport keeps a list of its own.
 */
public enum FunctionName {
    /** Runs one sync, or all: writes the vault (and, on an initial import behaviour, the source). */
    SYNC("sync", false, Access.OPERATOR),
    /** What {@code sync} would do: reads the source and the vault, writes nothing, shows secret names. */
    PLAN("plan", true, Access.OPERATOR),
    /** Writes the vault's secrets into the source. */
    IMPORT("import", false, Access.OPERATOR),
    /** Schedules the deletion of every secret a sync owns. */
    REMOVE("remove", false, Access.OPERATOR),
    /**
     * An OCI event, an Infisical webhook, a schedule or a retry: the default target, never named in a body. Its
     * bodies cannot name an operation, {@code force} or a behaviour: a pass toward the intent recorded in OCI is all
     * they can cause, so any caller IAM lets in may send one.
     */
    EVENT("event", false, Access.ANY_CALLER),
    /**
     * Every sync's status from its state secret: reads one listing per vault, no source, no value, no secret name;
     * writes nothing.
     */
    STATUS("status", true, Access.ANY_CALLER);

    private final String wire;
    private final boolean readOnly;
    private final Access access;

    FunctionName(String wire, boolean readOnly, Access access) {
        this.wire = wire;
        this.readOnly = readOnly;
        this.access = access;
    }

    /** Who may call it (README, "Who may call what"). */
    public Access access() {
        return access;
    }

    /** The name callers use. */
    public String wire() {
        return wire;
    }

    /** Whether it never writes, to the vault, the source or the state secrets. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Whether an invocation of the default target may name it in its body ({@code {"function": ...}}). */
    public boolean namedInBody() {
        return this != EVENT;
    }

    /** The function of that name. */
    public static Optional<FunctionName> of(String name) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(name)).findFirst();
    }

    /** Every name, in the table's order. */
    public static Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(values()).forEach(f -> out.add(f.wire));
        return java.util.Collections.unmodifiableSet(out);
    }

    /** The names a body may give, for the message that lists them. */
    public static List<String> namedInBodies() {
        return Arrays.stream(values()).filter(FunctionName::namedInBody).map(FunctionName::wire).toList();
    }
}
