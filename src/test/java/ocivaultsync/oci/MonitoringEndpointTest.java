package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * PostMetricData goes to the region's telemetry-ingestion endpoint, which the SDK's MonitoringClient does not pick by
 * itself (its one template is {@code https://telemetry.{region}.{secondLevelDomain}}); each realm keeps its domain.
 */
class MonitoringEndpointTest {

    @Test
    void theIngestionEndpointIsTheRegionsTelemetryEndpointRenamed() {
        assertEquals("https://telemetry-ingestion.eu-frankfurt-1.oraclecloud.com",
                OciClients.ingestionEndpoint("eu-frankfurt-1"));
        assertEquals("https://telemetry-ingestion.us-ashburn-1.oraclecloud.com", OciClients.ingestionEndpoint("iad"));
        assertEquals("https://telemetry-ingestion.us-langley-1.oraclegovcloud.com",
                OciClients.ingestionEndpoint("us-langley-1"));
    }
}
