package ocivaultsync.emulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one emulator per test class (started before all, stopped after), reset before each test, handed
 * to tests as an {@link EmulatorFixture} parameter. Use {@code @ExtendWith(EmulatorExtension.class)}; classes that
 * need other options register it with {@code @RegisterExtension new EmulatorExtension(options)}.
 */
public class EmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private final EmulatorOptions options;
    private EmulatorFixture fixture;
    private boolean xDate;

    public EmulatorExtension() {
        this(EmulatorOptions.defaults().withPageSize(10));
    }

    public EmulatorExtension(EmulatorOptions options) {
        this.options = options;
    }

    /** The fixture's SDK clients sign with {@code x-date} instead of {@code date}, as the TypeScript SDK does. */
    public EmulatorExtension signingWithXDate() {
        this.xDate = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture = new EmulatorFixture(options);
        if (xDate) {
            fixture.signWithXDate();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fixture.emulator.reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == EmulatorFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return fixture;
    }

    public EmulatorFixture fixture() {
        return fixture;
    }
}
