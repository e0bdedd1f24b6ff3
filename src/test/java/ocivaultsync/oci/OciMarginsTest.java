package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import ocivaultsync.apply.CallCounter;
import ocivaultsync.apply.VaultException;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.reconcile.Destination;
import ocivaultsync.reconcile.SecretValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The adapter leaves margins where OCI is exact, and reads "not found" on a listing as what it may mean. */
class OciMarginsTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults());

    @TempDir
    Path dir;

    static EmulatorFixture f() {
        return EMULATOR.fixture();
    }

    @Test
    void theDeletionTimeKeepsFiveMinutesFromEachEndOfTheWindow() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        Instant min = now.plus(Duration.ofDays(1)).plusSeconds(300);
        Instant max = now.plus(Duration.ofDays(30)).minusSeconds(300);
        assertEquals(min, OciVault.deletionTime(now.plus(Duration.ofDays(1)), now));
        assertEquals(min, OciVault.deletionTime(now, now));
        assertEquals(max, OciVault.deletionTime(now.plus(Duration.ofDays(30)), now));
        assertEquals(max, OciVault.deletionTime(now.plus(Duration.ofDays(400)), now));
        assertEquals(now.plus(Duration.ofDays(7)), OciVault.deletionTime(now.plus(Duration.ofDays(7)), now));
    }

    @Test
    void oneAndThirtyDaysAreAcceptedByAnEmulatorWithNoSlack() throws Exception {
        try (OciClients clients = OciTestSupport.apiKeyClients(f(), dir)) {
            OciVault vault = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            Destination t = OciTestSupport.destination(f());
            String one = vault.create(t, "one-day", SecretValue.ofUtf8("x"), Map.of());
            String thirty = vault.create(t, "thirty-days", SecretValue.ofUtf8("x"), Map.of());
            Instant asked = Instant.now();
            vault.scheduleDeletion(one, asked.plus(Duration.ofDays(1)));
            vault.scheduleDeletion(thirty, asked.plus(Duration.ofDays(30)));
            Instant oneAt = vault.findByName(t, "one-day").get(0).timeOfDeletion();
            Instant thirtyAt = vault.findByName(t, "thirty-days").get(0).timeOfDeletion();
            assertTrue(!oneAt.isBefore(asked.plus(Duration.ofDays(1)).plusSeconds(299)), oneAt.toString());
            assertTrue(!thirtyAt.isAfter(asked.plus(Duration.ofDays(30)).minusSeconds(299)), thirtyAt.toString());
        }
    }

    @Test
    void aListingOfACompartmentOrVaultOutOfSightIsAnErrorNamingThePolicy() throws Exception {
        try (OciClients clients = OciTestSupport.apiKeyClients(f(), dir)) {
            OciVault vault = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            String otherVault = "ocid1.vault.oc1.eu-frankfurt-1.notmine";
            VaultException e = assertThrows(VaultException.class, () -> vault.list(new Destination("eu-frankfurt-1",
                    f().compartmentId(), otherVault, f().keyId())));
            assertEquals(VaultException.Kind.NOT_FOUND, e.kind());
            assertEquals("the compartment " + f().compartmentId() + " or the vault " + otherVault + " does not exist "
                    + "or this function may not see it: check both ids and that an IAM policy grants the function's "
                    + "dynamic group 'manage secret-family in compartment id " + f().compartmentId()
                    + " where target.vault.id = '" + otherVault + "'' (the Terraform module writes it); nothing is "
                    + "planned from an answer that cannot tell empty from hidden", e.getMessage());
            String otherCompartment = "ocid1.compartment.oc1..notmine";
            assertEquals(404, assertThrows(VaultException.class, () -> vault.list(new Destination("eu-frankfurt-1",
                    otherCompartment, f().vaultId(), f().keyId()))).status());
        }
    }

    @Test
    void theRetryTokenIsStableWithinARunAndChangesWithEveryInputAndEveryRun() throws Exception {
        try (OciClients clients = OciTestSupport.apiKeyClients(f(), dir)) {
            Destination t = OciTestSupport.destination(f());
            OciVault run = new OciVault(clients, "eu-frankfurt-1", new CallCounter());
            SecretValue v = SecretValue.ofUtf8("v1");
            Map<String, String> tags = Map.of("ovs_sync", "s", "ovs_fp", "abc");
            String token = run.retryToken(t, "name", v, tags);
            assertEquals(token, run.retryToken(t, "name", SecretValue.ofUtf8("v1"), Map.of("ovs_fp", "abc",
                    "ovs_sync", "s")), "same inputs, same run: the SDK's retry of a lost create reuses the token");
            assertNotEquals(token, run.retryToken(t, "other", v, tags), "another name");
            assertNotEquals(token, run.retryToken(t, "name", SecretValue.ofUtf8("v2"), tags), "another value");
            assertNotEquals(token, run.retryToken(t, "name", v, Map.of("ovs_sync", "s", "ovs_fp", "abd")),
                    "other tags");
            assertNotEquals(token, new OciVault(clients, "eu-frankfurt-1", new CallCounter())
                    .retryToken(t, "name", v, tags), "a new run salts anew: no value-derived token outlives it");
        }
    }
}
