package dev.gatekit.plugin.api;

import java.net.SocketException;

/**
 * A connection the host's {@link AddressPolicy} refused: the address is loopback, private or
 * otherwise internal. Retrying does not help, so a plugin should report it as a permanent failure
 * (or an invalid configuration); its message names the host asked for, never anything that
 * answered there.
 */
public final class RefusedAddressException extends SocketException {

    private static final long serialVersionUID = 1L;

    /**
     * @param host the host name or address the connection was for
     */
    public RefusedAddressException(String host) {
        super("connection to " + host + " refused: it is a loopback or private address, which the gateway's address policy forbids");
    }
}
