package ocivaultsync.emulator;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite, signed with {@code date} (the Java, Python and Go SDKs). */
class DateSignedConformanceTest extends EmulatorConformanceTest {

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension(EmulatorOptions.defaults().withPageSize(10));

    @Override
    EmulatorFixture f() {
        return EMULATOR.fixture();
    }
}
