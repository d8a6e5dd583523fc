package dev.gatekit.core.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps the URLs users give GateKit to call (event endpoints, a webhook platform's URL, a
 * platform's API base URL) off the gateway's own network, so a user cannot make the server reach
 * internal services (SSRF): a URL must be absolute http(s) and its host must resolve only to public
 * addresses (no loopback, private, link-local, carrier-grade NAT, unique-local, multicast or
 * unspecified ones), unless the operator allows private addresses with {@code allowSetting}.
 * Checked when the URL is saved and again before each event delivery or send; a platform plugin's
 * connections are checked again when they open, by {@link HostAddressPolicy} (DNS rebinding,
 * redirects).
 */
public final class OutboundAddresses {

    private OutboundAddresses() {
    }

    /** The problem with {@code url}, or empty when GateKit may call it. */
    public static Optional<String> problem(String url, boolean allowPrivate, String allowSetting) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("must not carry credentials");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("host '" + uri.getHost() + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return Optional.of("points at a loopback or private address; an operator can allow that with " + allowSetting);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether GateKit may connect to {@code address} when private addresses are not allowed. An
     * IPv6 address that carries an IPv4 one (IPv4-compatible {@code ::a.b.c.d}, IPv4-mapped
     * {@code ::ffff:a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo) reaches
     * that IPv4 address, so it is judged by the IPv4 rules.
     */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return isPublicIpv6(b);
        }
        return isPublicIpv4(b);
    }

    private static boolean isPublicIpv6(byte[] b) {
        int first16 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int second16 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (isZero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return isPublicIpv4(Arrays.copyOfRange(b, 12, 16)); // ::a.b.c.d and ::ffff:a.b.c.d
        }
        if (first16 == 0x0064 && second16 == 0xff9b) {
            // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local networks only.
            return isZero(b, 4, 12) && isPublicIpv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (first16 == 0x2002) {
            return isPublicIpv4(Arrays.copyOfRange(b, 2, 6)); // 6to4
        }
        if (first16 == 0x2001 && second16 == 0) {
            byte[] client = Arrays.copyOfRange(b, 12, 16); // Teredo: the client's address, inverted
            for (int i = 0; i < client.length; i++) {
                client[i] = (byte) ~client[i];
            }
            return isPublicIpv4(client);
        }
        return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local
    }

    private static boolean isPublicIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean loopbackPrivateOrLinkLocal = first == 127 || first == 10 || (first == 172 && second >= 16 && second < 32)
                || (first == 192 && second == 168) || (first == 169 && second == 254);
        return !loopbackPrivateOrLinkLocal && first != 0 && !(first == 100 && second >= 64 && second < 128)
                && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) && !(first == 198 && (second == 18 || second == 19)) && first < 224;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
