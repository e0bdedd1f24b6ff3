package ocivaultsync.e2e;

import ocivaultsync.emulator.EmulatorExtension;
import ocivaultsync.emulator.EmulatorFixture;
import ocivaultsync.emulator.EmulatorOptions;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LastWordTest}'s sequences with lifecycle transitions on, as the failures were first seen: a create, update,
 * deletion or restore leaves the secret in its transitional state for 1.5 s of the emulator's clock.
 */
class LastWordWithTransitionsTest extends LastWordTest {

    @RegisterExtension
    static final EmulatorExtension LASTING = new EmulatorExtension(EmulatorOptions.defaults().withTransitionMs(1500));

    @Override
    EmulatorFixture emulator() {
        return LASTING.fixture();
    }
}
