package ocivaultsync.config;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Infisical hosts a configuration may name: the operator's allowlist ({@code ovs.infisical.allowed-hosts}), kept
 * outside the configuration, so that whoever may edit the configuration cannot have the function post a client secret
 * to a host of their choosing (see docs/ASSUMPTIONS.md, "Infisical Cloud's hosts").
 *
 * <p>Two checks. {@link #refusal(URI)}, when the configuration is read: the URL's host must be a listed name (exact,
 * case aside: no wildcards), or an IP literal inside a listed address or range. {@link #refusal(String,
 * InetAddress[])}, before every request: each address the host resolves to must be public, or inside a listed address
 * or range; so a listed name whose DNS answer points at a private, loopback or link-local address (the instance
 * metadata service at 169.254.169.254, a host inside the VCN) is refused unless the operator listed that address.
 */
public final class InfisicalHosts {

    /** The setting that holds the list, named in every refusal. */
    public static final String SETTING = "ovs.infisical.allowed-hosts";
    /**
     * Infisical Cloud: app.infisical.com (the default URL of Infisical's clients and Terraform provider) and the
     * regional hosts us.infisical.com and eu.infisical.com (docs/ASSUMPTIONS.md, "Infisical Cloud's hosts").
     */
    public static final List<String> CLOUD = List.of("app.infisical.com", "us.infisical.com", "eu.infisical.com");

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");

    /** An address range: a network address and its prefix length. */
    private record Range(byte[] network, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(b.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not();
            return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final Set<String> names;
    private final List<Range> ranges;
    private final List<String> entries;

    private InfisicalHosts(Set<String> names, List<Range> ranges, List<String> entries) {
        this.names = names;
        this.ranges = ranges;
        this.entries = entries;
    }

    /** Infisical Cloud only: the default when the operator lists nothing. */
    public static InfisicalHosts cloud() {
        return of(CLOUD);
    }

    /**
     * The allowlist from the setting's entries: host names, IP addresses and CIDR ranges.
     *
     * @throws ConfigException naming the setting and the entry that is none of them
     */
    public static InfisicalHosts of(List<String> entries) {
        Set<String> names = new LinkedHashSet<>();
        List<Range> ranges = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            kept.add(e);
            Optional<Range> range = range(e);
            if (range.isPresent()) {
                ranges.add(range.get());
            } else if (NAME.matcher(e).matches() && !e.matches("^[0-9.]+$")) {
                names.add(e);
            } else {
                throw new ConfigException(SETTING + ": " + raw.trim() + " is neither a host name, an IP address nor a "
                        + "CIDR range");
            }
        }
        return new InfisicalHosts(Set.copyOf(names), List.copyOf(ranges), List.copyOf(kept));
    }

    /**
     * Why the URL's host may not be used, or empty when it may: a name must be listed, an IP literal must be inside a
     * listed address or range. The message completes "url: ".
     */
    public Optional<String> refusal(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        Optional<InetAddress> literal = literal(host);
        if (literal.isPresent()) {
            if (listed(literal.get())) {
                return Optional.empty();
            }
            return Optional.of("the host " + host + " is an IP address outside " + SETTING + " (" + listing()
                    + "); an operator who runs Infisical there lists that address");
        }
        if (names.contains(host)) {
            return Optional.empty();
        }
        return Optional.of("the host " + host + " is not in " + SETTING + " (" + listing() + "); the operator lists "
                + "the Infisical hosts a configuration may name, outside the configuration");
    }

    /**
     * Why the host may not be reached at these addresses (what it resolves to now), or empty when it may: every
     * private, loopback, link-local or otherwise non-public address must be inside a listed address or range.
     */
    public Optional<String> refusal(String host, InetAddress[] addresses) {
        for (InetAddress a : addresses) {
            if (!isPublic(a) && !listed(a)) {
                return Optional.of("the Infisical host " + host + " resolves to " + a.getHostAddress() + ", a "
                        + "private, loopback or link-local address that " + SETTING + " does not list; nothing was "
                        + "sent");
            }
        }
        return Optional.empty();
    }

    private boolean listed(InetAddress a) {
        return ranges.stream().anyMatch(r -> r.contains(a));
    }

    private String listing() {
        return entries.isEmpty() ? "empty" : String.join(", ", entries);
    }

    /** An IPv4 dotted quad or a bracketed or bare IPv6 literal, parsed without any DNS lookup. */
    static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return Optional.empty();
        }
        if (!h.matches("^[0-9a-f:.%]+$")) {
            return Optional.empty();
        }
        if (IPV4.matcher(h).matches()) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty(); // not an address, and no name either: refused as unlisted
                }
            }
        }
        try {
            // A literal is parsed, never looked up: getByName resolves only what is not an address.
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<Range> range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        Optional<InetAddress> a = literal(address);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        int bits = a.get().getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new Range(a.get().getAddress(), prefix));
    }

    /**
     * Whether an address is on the public internet: not unspecified, loopback, link-local, private (RFC 1918, IPv6
     * unique-local), multicast, shared (100.64.0.0/10), reserved or benchmark space; an IPv6 address that embeds an
     * IPv4 one (mapped, compatible, NAT64) is judged by the IPv4 address.
     */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return !(b0 == 0 || b0 == 100 && (b1 & 0xc0) == 64 || b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0
                    || b0 == 198 && (b1 == 18 || b1 == 19) || b0 >= 240);
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return false; // fc00::/7, unique local
            }
            boolean embedsV4 = prefixZero(b, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || prefixZero(b, 12)
                    || b0 == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && prefixZeroFrom(b, 4, 12);
            if (embedsV4) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean prefixZero(byte[] b, int n) {
        return prefixZeroFrom(b, 0, n);
    }

    private static boolean prefixZeroFrom(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
