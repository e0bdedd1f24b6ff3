package ocivaultsync.e2e;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Infisical end-to-end suite against a real Infisical server: {@code ./mvnw -B test -Pinfisical-live} starts one
 * with src/test/infisical/infisical-live.sh and runs this (docs/REAL-SERVICES.md, "A real Infisical server"). Without
 * the profile it is skipped.
 */
@EnabledIfSystemProperty(named = LiveInfisical.SEED_PROPERTY, matches = ".+")
class InfisicalLiveSuiteTest extends InfisicalSuite {

    @Override
    InfisicalUnderTest open(Harness h) {
        return new LiveInfisical();
    }
}
