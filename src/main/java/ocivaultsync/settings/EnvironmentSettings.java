package ocivaultsync.settings;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Refuses to start when an environment variable named {@code OVS_*} is not one of our settings. SmallRye Config
 * refuses an unknown {@code ovs.*} property from a file or a system property, but it cannot tell an environment
 * variable meant for us from one meant for another program, so it ignores unknown ones: {@code OVS_SYNC_PARALELLISM=4}
 * (the way function config and the Terraform module's {@code settings} arrive) would start silently with the default.
 * The prefix is ours, so a name under it that maps onto no setting is a typo, and it stops the start-up as loudly as
 * the property would. Only names are ever printed: a value may be a secret (an inline configuration).
 */
@ApplicationScoped
public class EnvironmentSettings {

    static final String PREFIX = "OVS_";
    /** A suggestion further away than this would be a guess. */
    static final int MAX_EDITS = 2;

    /** Before any other start-up work: nothing should run on settings that are not what the operator meant. */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        refuseUnknown(System.getenv().keySet(), known());
    }

    /** The environment names of our settings: exact ones, and the indexed forms of list settings. */
    record Known(TreeSet<String> names, List<Pattern> indexed) {

        boolean contains(String env) {
            return names.contains(env) || indexed.stream().anyMatch(p -> p.matcher(env).matches());
        }
    }

    /**
     * The environment names of every {@code ovs.*} setting, as SmallRye Config maps them (each character that is not
     * a letter or a digit becomes {@code _}, upper case), read from the mapping Quarkus generated (the path Quarkus
     * itself takes at run time, native image included), so a setting added to {@link OvsSettings} is known here
     * without a second list. A list setting may also be given by index ({@code OVS_WEBHOOK_KEY_SECRET_IDS_0_}).
     */
    static Known known() {
        TreeSet<String> names = new TreeSet<>();
        List<Pattern> indexed = new ArrayList<>();
        for (String property : ConfigMappings.ConfigClass.configClass(OvsSettings.class, "ovs").getProperties()
                .keySet()) {
            if (property.contains("[*]")) {
                StringBuilder regex = new StringBuilder();
                String[] parts = property.split("\\[\\*]", -1);
                for (int i = 0; i < parts.length; i++) {
                    regex.append(i == 0 ? "" : "_[0-9]+_").append(Pattern.quote(envName(parts[i])));
                }
                indexed.add(Pattern.compile(regex.toString()));
            } else {
                names.add(envName(property));
            }
        }
        return new Known(names, List.copyOf(indexed));
    }

    static String envName(String property) {
        StringBuilder b = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            b.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return b.toString();
    }

    /** @throws ConfigValidationException naming every unknown {@code OVS_*} variable, as SmallRye names a property */
    static void refuseUnknown(Iterable<String> environment, Known known) {
        TreeSet<String> unknown = new TreeSet<>();
        for (String name : environment) {
            if (name.startsWith(PREFIX) && !known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigValidationException(unknown.stream()
                    .map(name -> new ConfigValidationException.Problem(message(name, known)))
                    .toArray(ConfigValidationException.Problem[]::new));
        }
    }

    /** The one message of an unknown variable (docs/CONFIGURATION.md, "Service settings"). */
    static String message(String name, Known known) {
        return "the environment variable " + name + " is not a setting of oci-vault-sync: every OVS_* variable must "
                + "name an ovs.* setting (docs/CONFIGURATION.md, \"Service settings\")"
                + closest(name, known).map(c -> "; did you mean " + c + "?").orElse("");
    }

    /** The known name a typo most likely meant, at most {@link #MAX_EDITS} edits away; the first in order on a tie. */
    static Optional<String> closest(String name, Known known) {
        String best = null;
        int bestDistance = MAX_EDITS + 1;
        for (String candidate : known.names()) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
