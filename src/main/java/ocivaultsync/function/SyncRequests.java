package ocivaultsync.function;

import static ocivaultsync.run.RunRequests.bool;
import static ocivaultsync.run.RunRequests.checkFields;
import static ocivaultsync.run.RunRequests.required;
import static ocivaultsync.run.RunRequests.takes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import ocivaultsync.reconcile.Operation;
import ocivaultsync.run.RequestException;
import ocivaultsync.run.RunRequest;
import ocivaultsync.run.RunRequests;

/**
 * Parses the bodies of {@code import} and {@code remove} (see README, "Triggers: how each one reaches the function"),
 * strictly: an unknown field is an error. Those of {@code sync} and {@code plan}, whose options a schedule shares, are
 * read by {@link RunRequests}.
 */
final class SyncRequests {

    private static final Set<String> IMPORT_FIELDS = Set.of("sync", "behavior", "dryRun", "verbose");
    private static final Set<String> REMOVE_FIELDS = Set.of("sync", "dryRun", "verbose");

    private SyncRequests() {
    }

    /** {@code {"sync": "app-prod", "behavior": "prioritize-source"|"prioritize-destination"}}. */
    static RunRequest parseImport(JsonNode body) {
        checkFields(body, IMPORT_FIELDS, takes("import", IMPORT_FIELDS));
        String sync = required(body, "sync");
        String behavior = required(body, "behavior");
        var op = switch (behavior) {
            case "prioritize-source" -> Operation.IMPORT_PRIORITIZE_SOURCE;
            case "prioritize-destination" -> Operation.IMPORT_PRIORITIZE_DESTINATION;
            default -> throw RequestException.invalid("behavior: must be prioritize-source or prioritize-destination");
        };
        return RunRequest.manual(sync, bool(body, "dryRun")).withVerbose(bool(body, "verbose")).withOperation(op);
    }

    /** {@code {"sync": "app-prod"}}. */
    static RunRequest parseRemove(JsonNode body) {
        checkFields(body, REMOVE_FIELDS, takes("remove", REMOVE_FIELDS));
        return RunRequest.manual(required(body, "sync"), bool(body, "dryRun")).withVerbose(bool(body, "verbose"))
                .withOperation(Operation.REMOVE);
    }
}
