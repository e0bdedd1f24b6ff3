package ocivaultsync.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar ({@code target/quarkus-app}) syncing against the standalone emulator: catches what
 * {@code @QuarkusTest} hides, such as a runtime dependency missing from the package (build-notes gotcha 6).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = StandaloneEmulatorResource.class, restrictToAnnotatedClass = true)
class PackagedSyncIT {

    @Test
    void planThenSyncThroughThePackagedJar() {
        given().header("oci-subject-id", Processes.OPERATOR).contentType(ContentType.JSON).body("{}").post("/plan").then().statusCode(200)
                .body("syncs[0].results.name", equalTo(List.of("it-API_KEY", "it-DB_PASS")))
                .body("syncs[0].results.status", equalTo(List.of("PLANNED", "PLANNED")));
        given().header("oci-subject-id", Processes.OPERATOR).contentType(ContentType.JSON).body("{}").post("/sync").then().statusCode(200)
                .body("syncs[0].status", equalTo("SUCCEEDED"))
                .body("syncs[0].counts.create", equalTo(2));
        given().header("oci-subject-id", Processes.OPERATOR).contentType(ContentType.JSON).body("{\"verify\":\"deep\"}").post("/sync").then().statusCode(200)
                .body("syncs[0].counts.none", equalTo(2))
                .body("syncs[0].ociCalls.read", equalTo(3)); // both bundles, and the record's etag
        String values = "findAll { !it.name.startsWith('ovs-state-') }";
        given().get(StandaloneEmulatorResource.endpoint + "/_emulator/secrets").then().statusCode(200)
                .body(values + ".name", equalTo(List.of("it-API_KEY", "it-DB_PASS")))
                .body(values + ".freeformTags.ovs_sync", equalTo(List.of("it", "it")))
                .body(values + ".content", equalTo(List.of("aXQtY2FuYXJ5LWtleQ==", "aXQtY2FuYXJ5LXZhbHVl")))
                .body("findAll { it.name == 'ovs-state-it' }.freeformTags.ovs_mode", equalTo(List.of("active")));
        given().get(StandaloneEmulatorResource.endpoint + "/_emulator/calls").then()
                // A plan lists once; each manual sync lists before and after recording itself.
                .body("ListSecrets", equalTo(5)).body("CreateSecret", equalTo(3)).body("GetSecretBundle", equalTo(2));
    }
}
