package ocivaultsync.config;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * OCID shape checks: {@code ocid1.<resource type>.<realm>.[region][.future use].<unique id>}. Any realm (oc1, oc2, …),
 * since sovereign and government clouds are OCI too.
 */
public final class Ocids {

    private static final Pattern OCID =
            Pattern.compile("^ocid1\\.([a-z0-9]+)\\.([a-z0-9]+)\\.([a-z0-9-]*)(\\.[a-z0-9-]+)?\\.([a-z0-9]+)$");

    private Ocids() {
    }

    /** Whether {@code value} is shaped like an OCID of one of {@code types}. */
    public static boolean isOcid(String value, Set<String> types) {
        if (value == null) {
            return false;
        }
        var m = OCID.matcher(value);
        return m.matches() && types.contains(m.group(1));
    }
}
