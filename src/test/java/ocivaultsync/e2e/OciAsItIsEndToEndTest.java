package ocivaultsync.e2e;

import static ocivaultsync.e2e.Harness.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorOptions;
import ocivaultsync.emulator.Faults;
import ocivaultsync.reconcile.SecretValue;
import ocivaultsync.report.SyncReport;
import ocivaultsync.report.SyncStatus;
import ocivaultsync.source.SecretSource;
import ocivaultsync.source.SourceSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product against OCI's unkind answers: a write whose answer is lost and whose retry meets the secret still
 * UPDATING, and a listing of a vault the function may not see.
 */
class OciAsItIsEndToEndTest {

    /** Two seconds: the SDK's retry, 50 ms later, is sure to meet the transition. */
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(2000));

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(EMULATOR.fixture(), dir);
        EMULATOR.fixture().emulator.faults().clear();
    }

    @AfterEach
    void tearDown() {
        EMULATOR.fixture().emulator.faults().clear();
        h.close();
    }

    @Test
    void aLostUpdateAnswerIsKnownByItsEtagAndLeavesNoSecondVersion() {
        h.source(Map.of("A", "v1"));
        assertEquals(List.of("A CREATE DONE"), lines(h.pass()));
        h.source(Map.of("A", "v2"));
        h.f.emulator.calls().reset();
        // OCI carries the update out; its answer never arrives; the SDK's retry carries the etag the update was
        // decided on, which is no longer the secret's: 412, and a read shows the write in place.
        h.f.emulator.faults().add(new Faults.Rule("UpdateSecret", 500, 1.0, 1, 0, true, false));
        SyncReport lost = h.pass();
        assertEquals(List.of("A UPDATE DONE"), lines(lost));
        assertEquals(2L, h.f.emulator.calls().get("UpdateSecret"), "the first attempt and the SDK's retry");
        assertEquals("v2", h.value("A"));
        assertEquals(2, h.secret("A").versionCount(), "the retry made no second version");
        assertEquals(List.of(), h.pass().results(), "the next pass sees the value in place: nothing to do");
        assertEquals(2, h.secret("A").versionCount());
    }

    @Test
    void anUpdateKeepsATagAnotherWriterAddedBetweenTheListingAndTheWrite() {
        h.source(Map.of("A", "v1"));
        h.pass();
        h.source(Map.of("A", "v2"));
        String id = h.secret("A").id();
        h.wrapVault(v -> new SyncEndToEndTest.Racing(v, () -> { }) {
            @Override
            public List<ocivaultsync.reconcile.DestinationSecret> list(ocivaultsync.reconcile.Destination t) {
                List<ocivaultsync.reconcile.DestinationSecret> listed = super.list(t);
                // Someone tags A just after this pass listed it.
                Map<String, String> tags = new java.util.HashMap<>(h.f.emulator.vault().snapshot().stream()
                        .filter(s -> id.equals(s.get("id"))).map(s -> (Map<String, String>) s.get("freeformTags"))
                        .findFirst().orElseThrow());
                tags.put("cost-center", "42");
                h.f.emulator.vault().update(id, new ocivaultsync.emulator.SecretUpdate(null, null, null, false, tags,
                        null, null, null), null);
                return listed;
            }
        });
        assertEquals(List.of("A UPDATE DONE"), lines(h.pass()));
        assertEquals("42", h.tags("A").get("cost-center"), "written back with ours, not dropped");
        assertEquals("v2", h.value("A"));
    }

    @Test
    void aLostCreateAnswerIsRetriedUnderTheSameTokenAndMakesOneSecret() {
        h.source(Map.of("B", "b"));
        h.f.emulator.faults().add(new Faults.Rule("CreateSecret", 500, 1.0, 1, 0, true, false));
        SyncReport r = h.pass();
        assertEquals(List.of("B CREATE DONE"), lines(r), "the retry got the first attempt's secret back");
        assertEquals(1, h.valueSecrets().size());
        assertEquals(List.of(), h.pass().results());
    }

    @Test
    void aVaultOutOfSightFailsTheSyncNamingThePolicyAndPlansNothing() {
        h.source(Map.of("A", "a"));
        String other = "ocid1.vault.oc1.eu-frankfurt-1.notmine";
        h.config(h.newConfig().sync("app", s -> s.destination(Harness.REGION, h.f.compartmentId(), other,
                h.f.keyId()).deletionGuard(100, 0)));
        h.f.emulator.calls().reset();
        SyncReport r = h.sync(q -> q.withForce(true));
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals(List.of(), r.results());
        String c = h.f.compartmentId();
        assertEquals("destination: cannot list the vault's secrets: OCI NotAuthorizedOrNotFound (HTTP 404, "
                + "opc-request-id " + r.error().replaceAll("(?s).*opc-request-id ([^)]*)\\).*", "$1") + "): the "
                + "compartment " + c + " or the vault " + other + " does not exist or this function may not see it: "
                + "check both ids and that an IAM policy grants the function's dynamic group 'manage secret-family "
                + "in compartment id " + c + " where target.vault.id = '" + other + "'' (the Terraform module writes "
                + "it); nothing is planned from an answer that cannot tell empty from hidden", r.error());
        assertEquals(Map.of("ListSecrets", 1L), h.f.emulator.calls().snapshot(), "no write, no read");
    }

    /**
     * A pass reads the source only once it knows what the recorded intent asks (docs/ARCHITECTURE.md, "Data path"): a
     * list that fails reads nothing of it, so an unreachable vault costs no Infisical login. (The fetch thread carries
     * the run's logging context: {@link RunLogFieldsTest}.)
     */
    @Test
    void aFailedListReadsNothingOfTheSource() {
        h.source(Map.of("A", "a"));
        String other = "ocid1.vault.oc1.eu-frankfurt-1.notmine";
        h.config(h.newConfig().sync("app", s -> s.destination(Harness.REGION, h.f.compartmentId(), other,
                h.f.keyId())));
        AtomicInteger reads = new AtomicInteger();
        h.wrapSource(s -> new SecretSource() {
            @Override
            public SourceSnapshot fetch() {
                reads.incrementAndGet();
                return s.fetch();
            }

            @Override
            public Map<String, Outcome> write(Map<String, SecretValue> values) {
                return s.write(values);
            }
        });
        SyncReport r = h.pass();
        assertEquals(SyncStatus.FAILED, r.status());
        assertEquals(List.of(), r.results());
        assertTrue(r.error().startsWith("destination: cannot list the vault's secrets: OCI NotAuthorizedOrNotFound "
                + "(HTTP 404, "), r.error());
        assertEquals(0, reads.get(), "the source was not read");
    }
}
