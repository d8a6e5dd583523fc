package dev.gatekit.plugin.api;

import java.net.InetAddress;
import javax.net.SocketFactory;

/**
 * The host's rule for which network addresses a plugin may connect to. Platform URLs come from
 * users (an {@code apiBaseUrl}, a webhook {@code url}), so without it a user could make the gateway
 * call services on its own network. The host checks those URLs when they are saved and before each
 * send, but a name can resolve differently a moment later (DNS rebinding) and a server can redirect;
 * this policy is applied when a connection is opened, to the address actually connected to.
 *
 * <p>The host's shared {@link PlatformContext#httpClient()} already applies it and follows no
 * redirects. A plugin that builds its own HTTP client must give it {@link #socketFactory()} and turn
 * redirects off, for example with OkHttp:
 * {@code new OkHttpClient.Builder().socketFactory(policy.socketFactory()).followRedirects(false).followSslRedirects(false)}.
 */
public interface AddressPolicy {

    /**
     * Whether a connection to {@code address} may be opened.
     *
     * @param address a resolved address
     * @return true when the plugin may connect to it
     */
    boolean permits(InetAddress address);

    /**
     * Sockets that refuse, when they connect, an address this policy does not permit, with a
     * {@link RefusedAddressException}. TLS clients that layer over these sockets (OkHttp) are covered
     * for https too; a library that opens TLS sockets from an SSL socket factory of its own (some
     * websocket clients) is not: call {@link #checkHost} before it connects.
     *
     * @return the socket factory
     */
    SocketFactory socketFactory();

    /**
     * Resolves {@code host} and throws unless the policy permits every address it resolves to. For
     * a client that takes no socket factory (a TLS websocket library): call it right before the
     * client connects; the client's own lookup then usually meets the JVM's cached answer.
     *
     * @param host a host name or literal address (IPv6 with or without brackets)
     * @throws java.net.UnknownHostException when the name does not resolve
     * @throws RefusedAddressException       when an address it resolves to is not permitted
     */
    default void checkHost(String host) throws java.io.IOException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress address : InetAddress.getAllByName(bare)) {
            if (!permits(address)) {
                throw new RefusedAddressException(bare);
            }
        }
    }

    /**
     * The policy of a host that enforces none (older hosts, unit tests): every address is permitted.
     *
     * @return a policy that permits everything
     */
    static AddressPolicy permitAll() {
        return new AddressPolicy() {
            @Override
            public boolean permits(InetAddress address) {
                return true;
            }

            @Override
            public SocketFactory socketFactory() {
                return SocketFactory.getDefault();
            }

            @Override
            public void checkHost(String host) {
                // Nothing to check, and no lookup to pay for.
            }
        };
    }

}
