package dev.gatekit.core.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps the URLs users give GateKit to call (event endpoints, a webhook platform's URL, a
 * platform's API base URL) off the gateway's own network, so a user cannot make the server reach
 * internal services (SSRF): a URL must be absolute http(s) and its host must resolve only to public
 * addresses (no loopback, private, link-local, carrier-grade NAT, unique-local, multicast or
 * unspecified ones), unless the operator allows private addresses with {@code allowSetting}.
 * Checked when the URL is saved and again before each event delivery; a platform plugin's own
 * HTTP client resolves the host again when it sends (DNS rebinding is not covered there).
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

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                && !(first == 198 && (second == 18 || second == 19)) && first < 224;
    }
}
