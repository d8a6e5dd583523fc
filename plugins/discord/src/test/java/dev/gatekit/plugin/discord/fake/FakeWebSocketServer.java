package dev.gatekit.plugin.discord.fake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small websocket server (RFC 6455: the upgrade handshake, text frames, ping/pong, close) on
 * {@code 127.0.0.1} and a free port, one thread per connection. Enough to stand in for a platform's
 * websocket gateway in tests; no extensions, no TLS.
 */
public final class FakeWebSocketServer implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    /** What the server does with its connections. */
    public interface Handler {
        void onOpen(Connection connection);

        void onText(Connection connection, String text);

        default void onClose(Connection connection, int code) {
        }
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeWebSocketServer(Handler handler) {
        this.handler = handler;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the fake websocket server", e);
        }
        Thread acceptor = new Thread(this::accept, "fake-websocket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL to connect to, such as {@code ws://127.0.0.1:41234}. */
    public String url() {
        return "ws://127.0.0.1:" + server.getLocalPort();
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread reader = new Thread(() -> serve(socket), "fake-websocket-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        Connection connection = null;
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String path = handshake(in, socket.getOutputStream());
            if (path == null) {
                return;
            }
            connection = new Connection(socket, path);
            connections.add(connection);
            handler.onOpen(connection);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (!closed) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0F;
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                if (opcode == CLOSE) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    connection.closeCode = code;
                    connection.write(CLOSE, payload);
                    return;
                } else if (opcode == PING) {
                    connection.write(PONG, payload);
                } else if (opcode == TEXT || opcode == BINARY || opcode == 0) {
                    message.write(payload);
                    if (fin) {
                        handler.onText(connection, message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
            }
        } catch (EOFException e) {
            // The client went away without a close frame.
        } catch (IOException e) {
            // Closed under us (server or connection closed).
        } finally {
            if (connection != null) {
                connection.open = false;
                connections.remove(connection);
                handler.onClose(connection, connection.closeCode);
            }
        }
    }

    /** Reads the upgrade request and answers 101; returns the request's path, or null when it was not an upgrade. */
    private static String handshake(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        String key = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null || !requestLine.startsWith("GET ")) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return null;
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return requestLine.split(" ")[1];
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        connections.forEach(connection -> connection.close(1001, "server closing"));
    }

    /** One client connection. */
    public static final class Connection {
        private final Socket socket;
        private final String path;
        private volatile boolean open = true;
        private volatile int closeCode = 1006;
        /** Whatever the handler wants to remember about this connection (the identified token, say). */
        public volatile Object attachment;

        Connection(Socket socket, String path) {
            this.socket = socket;
            this.path = path;
        }

        /** The request path with its query, such as {@code /?encoding=json&v=10}. */
        public String path() {
            return path;
        }

        public boolean isOpen() {
            return open;
        }

        public void send(String text) {
            try {
                write(TEXT, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                open = false;
            }
        }

        /** Sends a close frame with a code (Discord's 4xxx codes, say) and closes the socket. */
        public void close(int code, String reason) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[text.length + 2];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(text, 0, payload, 2, text.length);
            try {
                write(CLOSE, payload);
            } catch (IOException e) {
                // Already gone.
            }
            open = false;
            try {
                socket.close();
            } catch (IOException e) {
                // Already gone.
            }
        }

        private synchronized void write(int opcode, byte[] payload) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length <= 0xFFFF) {
                out.write(126);
                out.write(payload.length >> 8);
                out.write(payload.length & 0xFF);
            } else {
                out.write(127);
                long length = payload.length;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (length >> shift) & 0xFF);
                }
            }
            out.write(payload);
            out.flush();
        }
    }
}
