package ocivaultsync.emulator;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite, signed with {@code x-date} in place of {@code date} (the TypeScript SDK). */
class XDateSignedConformanceTest extends EmulatorConformanceTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(10))
            .signingWithXDate();

    @Override
    EmulatorFixture f() {
        return EMULATOR.fixture();
    }
}
