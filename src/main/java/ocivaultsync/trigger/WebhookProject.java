package ocivaultsync.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import ocivaultsync.config.InfisicalSourceConfig;

/**
 * The folder an Infisical {@code secrets.modified} webhook names, and which syncs read it: shared by the webhook that
 * arrives through IAM ({@link InfisicalWebhookTrigger}) and the one through API Gateway ({@link GatewayWebhook}).
 *
 * @param projectId   the project ({@code workspaceId} in older payloads)
 * @param environment the environment slug
 * @param path        the folder, {@code /} when the payload names none
 */
record WebhookProject(String projectId, String environment, String path) {

    /** The event that changes secrets; every other one (test pings, rotation failures, requests) runs nothing. */
    static final String MODIFIED = "secrets.modified";

    static boolean isModified(JsonNode body) {
        return MODIFIED.equals(body.path("event").asText());
    }

    static WebhookProject of(JsonNode body) {
        JsonNode project = body.path("project");
        return new WebhookProject(project.path("projectId").asText(project.path("workspaceId").asText("")),
                project.path("environment").asText(""), project.path("secretPath").asText("/"));
    }

    /** Whether the sync reading {@code s} reads this folder. */
    boolean readBy(InfisicalSourceConfig s) {
        return s.projectId().equals(projectId) && s.environment().equals(environment) && pathMatches(s, path);
    }

    @Override
    public String toString() {
        return "infisical project " + projectId + " environment " + environment + " path " + path;
    }

    /** The webhook's folder is the sync's, or one below it when the sync is recursive. */
    static boolean pathMatches(InfisicalSourceConfig s, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals(s.secretPath())) {
            return true;
        }
        return s.recursive() && (s.secretPath().equals("/") || p.startsWith(s.secretPath() + "/"));
    }
}
