package ocivaultsync.e2e;

/** The Infisical end-to-end suite against the in-repo test server: every build runs it. */
class InfisicalSuiteOnTestServerTest extends InfisicalSuite {

    @Override
    InfisicalUnderTest open(Harness h) {
        return new InfisicalOnTestServer(h.clock, 40);
    }
}
