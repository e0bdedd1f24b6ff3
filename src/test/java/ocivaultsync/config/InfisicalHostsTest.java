package ocivaultsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The operator's Infisical hosts: which URLs a configuration may name, and which addresses a listed name may resolve
 * to. One row per rule; no DNS is asked (addresses are given as literals).
 */
class InfisicalHostsTest {

    static final InfisicalHosts CLOUD = InfisicalHosts.cloud();
    static final InfisicalHosts SELF_HOSTED = InfisicalHosts.of(List.of(" Infisical.Corp.Example ", "10.0.0.0/16",
            "fd00::5"));

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
        "https://app.infisical.com|cloud|",
        "https://EU.Infisical.com/api|cloud|",
        "https://us.infisical.com|cloud|",
        "https://infisical.com|cloud|the host infisical.com is not in ovs.infisical.allowed-hosts (app.infisical.com, "
                + "us.infisical.com, eu.infisical.com); the operator lists the Infisical hosts a configuration may "
                + "name, outside the configuration",
        "https://app.infisical.com.evil.example|cloud|the host app.infisical.com.evil.example is not in "
                + "ovs.infisical.allowed-hosts (app.infisical.com, us.infisical.com, eu.infisical.com); the operator "
                + "lists the Infisical hosts a configuration may name, outside the configuration",
        "https://169.254.169.254|cloud|the host 169.254.169.254 is an IP address outside ovs.infisical.allowed-hosts "
                + "(app.infisical.com, us.infisical.com, eu.infisical.com); an operator who runs Infisical there lists "
                + "that address",
        "http://127.0.0.1:8080|cloud|the host 127.0.0.1 is an IP address outside ovs.infisical.allowed-hosts "
                + "(app.infisical.com, us.infisical.com, eu.infisical.com); an operator who runs Infisical there lists "
                + "that address",
        "http://[::1]:8080|cloud|the host [::1] is an IP address outside ovs.infisical.allowed-hosts "
                + "(app.infisical.com, us.infisical.com, eu.infisical.com); an operator who runs Infisical there lists "
                + "that address",
        "https://2130706433|cloud|the host 2130706433 is not in ovs.infisical.allowed-hosts (app.infisical.com, "
                + "us.infisical.com, eu.infisical.com); the operator lists the Infisical hosts a configuration may "
                + "name, outside the configuration",
        "https://infisical.corp.example|self|",
        "https://10.0.3.4|self|",
        "https://[fd00::5]|self|",
        "https://10.1.0.1|self|the host 10.1.0.1 is an IP address outside ovs.infisical.allowed-hosts "
                + "(infisical.corp.example, 10.0.0.0/16, fd00::5); an operator who runs Infisical there lists that "
                + "address",
        "https://app.infisical.com|self|the host app.infisical.com is not in ovs.infisical.allowed-hosts "
                + "(infisical.corp.example, 10.0.0.0/16, fd00::5); the operator lists the Infisical hosts a "
                + "configuration may name, outside the configuration"})
    void aUrlMayNameOnlyAListedHost(String url, String list, String refusal) {
        InfisicalHosts hosts = list.equals("cloud") ? CLOUD : SELF_HOSTED;
        assertEquals(Optional.ofNullable(refusal), hosts.refusal(URI.create(url)));
    }

    @ParameterizedTest(name = "{0} resolving to {1}")
    @CsvSource(delimiter = '|', value = {
        "app.infisical.com|104.18.1.1|cloud|true",
        "app.infisical.com|2606:4700::6812:101|cloud|true",
        "app.infisical.com|169.254.169.254|cloud|false",
        "app.infisical.com|127.0.0.1|cloud|false",
        "app.infisical.com|10.0.0.7|cloud|false",
        "app.infisical.com|172.16.5.5|cloud|false",
        "app.infisical.com|192.168.1.1|cloud|false",
        "app.infisical.com|100.64.0.1|cloud|false",
        "app.infisical.com|0.0.0.0|cloud|false",
        "app.infisical.com|::1|cloud|false",
        "app.infisical.com|fe80::1|cloud|false",
        "app.infisical.com|fd12:3456::1|cloud|false",
        "app.infisical.com|::ffff:10.0.0.1|cloud|false",
        "app.infisical.com|64:ff9b::a00:1|cloud|false",
        "app.infisical.com|64:ff9b::6812:101|cloud|true",
        "infisical.corp.example|10.0.200.1|self|true",
        "infisical.corp.example|10.1.0.1|self|false",
        "infisical.corp.example|fd00::5|self|true",
        "infisical.corp.example|fd00::6|self|false"})
    void everyAddressANameResolvesToMustBePublicOrListed(String host, String address, String list, boolean ok)
            throws UnknownHostException {
        InfisicalHosts hosts = list.equals("cloud") ? CLOUD : SELF_HOSTED;
        InetAddress a = InetAddress.getByName(address);
        Optional<String> refusal = hosts.refusal(host, new InetAddress[] {InetAddress.getByName("104.18.2.2"), a});
        assertEquals(ok, refusal.isEmpty(), refusal.orElse("accepted"));
        if (!ok) {
            assertEquals("the Infisical host " + host + " resolves to " + a.getHostAddress() + ", a private, loopback "
                    + "or link-local address that ovs.infisical.allowed-hosts does not list; nothing was sent",
                    refusal.get());
        }
    }

    @Test
    void anEntryThatIsNoHostAddressOrRangeFailsNamingTheSetting() {
        for (String bad : List.of("https://app.infisical.com", "10.0.0.0/33", "*.infisical.com", "300.1.1.1")) {
            assertEquals("ovs.infisical.allowed-hosts: " + bad + " is neither a host name, an IP address nor a CIDR "
                    + "range", assertThrows(ConfigException.class, () -> InfisicalHosts.of(List.of(bad))).getMessage());
        }
    }
}
