package dev.gatekit.core.http;

import dev.gatekit.plugin.api.AddressPolicy;
import dev.gatekit.plugin.api.RefusedAddressException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * The host's {@link AddressPolicy}: {@link OutboundAddresses#isPublic} decides, unless the operator
 * allows private addresses ({@code plugins.allowPrivateAddresses}). Its sockets check the address
 * they connect to, so neither a redirect nor a name that resolves differently after the save-time
 * and send-time checks (DNS rebinding) reaches the gateway's network.
 */
public final class HostAddressPolicy implements AddressPolicy {

    private final boolean allowPrivate;
    private final SocketFactory sockets;

    public HostAddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
        this.sockets = allowPrivate ? SocketFactory.getDefault() : new PolicedSocketFactory();
    }

    @Override
    public boolean permits(InetAddress address) {
        return allowPrivate || OutboundAddresses.isPublic(address);
    }

    @Override
    public SocketFactory socketFactory() {
        return sockets;
    }

    @Override
    public void checkHost(String host) throws IOException {
        if (!allowPrivate) {
            AddressPolicy.super.checkHost(host);
        }
    }

    private void check(SocketAddress endpoint) throws RefusedAddressException {
        if (endpoint instanceof InetSocketAddress address && (address.isUnresolved() || !permits(address.getAddress()))) {
            throw new RefusedAddressException(address.getHostString());
        }
    }

    /** Plain sockets that apply the policy in {@link Socket#connect(SocketAddress, int)}; TLS layers over them. */
    private final class PolicedSocketFactory extends SocketFactory {

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    check(endpoint);
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }

        private Socket connected(InetSocketAddress address) throws IOException {
            Socket socket = createSocket();
            socket.connect(address);
            return socket;
        }
    }
}
