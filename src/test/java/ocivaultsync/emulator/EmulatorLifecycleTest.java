package ocivaultsync.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CancelSecretDeletionRequest;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The state machine with transition delays (moved along by the admin clock, never by sleeping). */
class EmulatorLifecycleTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR =
            new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(3_600_000));

    static EmulatorFixture f() {
        return EMULATOR.fixture();
    }

    static Secret.LifecycleState state(String id) {
        return f().vaults().getSecret(GetSecretRequest.builder().secretId(id).build()).getSecret().getLifecycleState();
    }

    static void tick() {
        f().emulator.clock().advance(Duration.ofHours(1));
    }

    @Test
    void everyTransitionTakesItsTimeAndBlocksWrites() {
        String id = f().vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(
                CreateSecretDetails.builder().compartmentId(f().compartmentId()).vaultId(f().vaultId())
                        .keyId(f().keyId()).secretName("slow")
                        .secretContent(Base64SecretContentDetails.builder().content("eA==").build()).build()).build())
                .getSecret().getId();
        assertEquals(Secret.LifecycleState.Creating, state(id));
        BmcException busy = assertThrows(BmcException.class, () -> update(id));
        assertEquals("IncorrectState", busy.getServiceCode());
        tick();
        assertEquals(Secret.LifecycleState.Active, state(id));

        update(id);
        assertEquals(Secret.LifecycleState.Updating, state(id));
        tick();
        assertEquals(Secret.LifecycleState.Active, state(id));

        f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(id)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
        assertEquals(Secret.LifecycleState.SchedulingDeletion, state(id));
        tick();
        assertEquals(Secret.LifecycleState.PendingDeletion, state(id));

        f().vaults().cancelSecretDeletion(CancelSecretDeletionRequest.builder().secretId(id).build());
        assertEquals(Secret.LifecycleState.CancellingDeletion, state(id));
        tick();
        assertEquals(Secret.LifecycleState.Active, state(id));

        f().vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(id)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().build()).build());
        f().emulator.clock().advance(Duration.ofDays(30));
        assertEquals(Secret.LifecycleState.Deleting, state(id));
        tick();
        assertEquals(Secret.LifecycleState.Deleted, state(id));
    }

    @Test
    void aForcedStateHoldsThenSettles() {
        String id = f().seed("forced", "x", Map.of(), SecretState.ACTIVE);
        f().force(id, SecretState.UPDATING, 30, SecretState.ACTIVE);
        assertEquals(Secret.LifecycleState.Updating, state(id));
        f().emulator.clock().advance(Duration.ofSeconds(31));
        assertEquals(Secret.LifecycleState.Active, state(id));
    }

    private static void update(String id) {
        f().vaults().updateSecret(UpdateSecretRequest.builder().secretId(id).updateSecretDetails(UpdateSecretDetails
                .builder().secretContent(Base64SecretContentDetails.builder().content("eQ==").build()).build())
                .build());
    }
}
