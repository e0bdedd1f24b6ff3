package ocivaultsync.function;

import java.nio.file.Path;
import java.time.Clock;
import ocivaultsync.emulator.EmulatorFixture;

/**
 * The end-to-end harness ({@link ocivaultsync.e2e.Harness}) under its former name, for the suites still in this
 * package (AcrossPassesTest, ModelBasedTest) until they move to {@code ocivaultsync.e2e} with the others. It adds
 * nothing: an end-to-end test needs no package-private access to the product.
 */
public class Harness extends ocivaultsync.e2e.Harness {

    Harness(EmulatorFixture f, Path dir) {
        super(f, dir);
    }

    Harness(EmulatorFixture f, Path dir, Clock runnerClock) {
        super(f, dir, runnerClock);
    }
}
