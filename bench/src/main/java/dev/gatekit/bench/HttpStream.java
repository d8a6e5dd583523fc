package dev.gatekit.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection, either end: writes pre-built bytes and reads one message
 * head and body at a time into buffers it reuses, so a request costs no allocation. It reads only
 * what a load run needs from a head: the status (or the request target), Content-Length, chunked
 * transfer coding, {@code Connection: close} and {@code Expect: 100-continue}.
 */
final class HttpStream implements Closeable {

    private static final byte[] CONTENT_LENGTH = ascii("content-length:");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
    private static final byte[] CONNECTION = ascii("connection:");
    private static final byte[] EXPECT = ascii("expect:");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] CONTINUE = ascii("100-continue");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[32 * 1024];
    private int position;
    private int limit;

    /** The body of the last message read; valid until the next read. */
    private byte[] body = new byte[8 * 1024];
    private int bodyLength;

    /** Of the last head read: the status of a response, or -1 for a request. */
    private int status;
    private boolean close;
    private boolean expectContinue;
    private long contentLength;
    private boolean chunked;
    /** The request line of the last request read (method, target, version). */
    private int requestLineStart;
    private int requestLineEnd;

    HttpStream(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static HttpStream connect(String host, int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        return new HttpStream(socket);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    /** Reads one response (head and body) and returns its status; 1xx interim responses are skipped. */
    int readResponse() throws IOException {
        while (true) {
            int headEnd = readHead();
            if (limit - position < 12 || buffer[position] != 'H') {
                throw new IOException("not an HTTP response: " + printable(position, Math.min(headEnd, position + 40)));
            }
            status = (buffer[position + 9] - '0') * 100 + (buffer[position + 10] - '0') * 10 + (buffer[position + 11] - '0');
            parseHeaders(lineEnd(position) + 2, headEnd);
            position = headEnd + 4;
            if (status >= 100 && status < 200) {
                continue;
            }
            if (status == 204 || status == 304) {
                bodyLength = 0;
            } else {
                readBody(contentLength < 0 && !chunked);
            }
            return status;
        }
    }

    /**
     * Reads one request head; returns false on a clean end of stream before one started. The body
     * is left for {@link #readRequestBody()}, so a caller can look at the request line first.
     */
    boolean readRequestHead() throws IOException {
        int headEnd;
        try {
            headEnd = readHead();
        } catch (EOFException e) {
            if (limit == position) {
                return false;
            }
            throw e;
        }
        status = -1;
        requestLineStart = position;
        requestLineEnd = lineEnd(position);
        parseHeaders(requestLineEnd + 2, headEnd);
        position = headEnd + 4;
        return true;
    }

    /** Whether the last request's target (the second word of its request line) starts with prefix. */
    boolean targetStartsWith(byte[] prefix) {
        int space = requestLineStart;
        while (space < requestLineEnd && buffer[space] != ' ') {
            space++;
        }
        int start = space + 1;
        if (start + prefix.length > requestLineEnd) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The last request's target, allocated; for the rare paths only. */
    String target() {
        String line = new String(buffer, requestLineStart, requestLineEnd - requestLineStart, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    void readRequestBody() throws IOException {
        if (expectContinue) {
            out.write(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        if (contentLength < 0 && !chunked) {
            bodyLength = 0;
            return;
        }
        readBody(false);
    }

    byte[] body() {
        return body;
    }

    int bodyLength() {
        return bodyLength;
    }

    String bodyString() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    /** Whether the peer asked to close the connection after the last message. */
    boolean closeRequested() {
        return close;
    }

    int status() {
        return status;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    /** Makes the buffer hold a whole head from position on; returns the index of its blank line's CR. */
    private int readHead() throws IOException {
        int scanned = 0; // bytes after position already known not to start the blank line
        while (true) {
            for (int i = position + scanned; i + 3 < limit; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            scanned = Math.max(0, limit - position - 3);
            fill();
        }
    }

    /** Reads more bytes, compacting or growing the buffer first; throws EOFException at the end of stream. */
    private void fill() throws IOException {
        if (position > 0 && (limit == buffer.length || position > buffer.length / 2)) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= 16 * 1024 * 1024) {
                throw new IOException("HTTP message larger than 16 MiB");
            }
            byte[] larger = new byte[buffer.length * 2];
            System.arraycopy(buffer, 0, larger, 0, limit);
            buffer = larger;
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            throw new EOFException("connection closed by peer");
        }
        limit += read;
    }

    private int lineEnd(int from) {
        int i = from;
        while (i + 1 < limit && !(buffer[i] == '\r' && buffer[i + 1] == '\n')) {
            i++;
        }
        return i;
    }

    private void parseHeaders(int from, int headEnd) {
        close = false;
        expectContinue = false;
        chunked = false;
        contentLength = -1;
        int line = from;
        while (line < headEnd) {
            int end = lineEnd(line);
            if (startsWithIgnoreCase(line, end, CONTENT_LENGTH)) {
                long value = 0;
                for (int i = line + CONTENT_LENGTH.length; i < end; i++) {
                    byte b = buffer[i];
                    if (b >= '0' && b <= '9') {
                        value = value * 10 + (b - '0');
                    }
                }
                contentLength = value;
            } else if (startsWithIgnoreCase(line, end, TRANSFER_ENCODING)) {
                chunked = containsIgnoreCase(line, end, CHUNKED);
            } else if (startsWithIgnoreCase(line, end, CONNECTION)) {
                close = containsIgnoreCase(line, end, CLOSE);
            } else if (startsWithIgnoreCase(line, end, EXPECT)) {
                expectContinue = containsIgnoreCase(line, end, CONTINUE);
            }
            line = end + 2;
        }
    }

    private void readBody(boolean untilClose) throws IOException {
        bodyLength = 0;
        if (chunked) {
            while (true) {
                int sizeLineEnd = requireLine();
                long size = 0;
                for (int i = position; i < sizeLineEnd; i++) {
                    int digit = Character.digit(buffer[i], 16);
                    if (digit < 0) {
                        break;
                    }
                    size = size * 16 + digit;
                }
                position = sizeLineEnd + 2;
                if (size == 0) {
                    // trailers, up to and including the blank line
                    while (true) {
                        int trailerEnd = requireLine();
                        boolean blank = trailerEnd == position;
                        position = trailerEnd + 2;
                        if (blank) {
                            return;
                        }
                    }
                }
                copyBody(size);
                requireLine();
                position += 2;
            }
        }
        if (untilClose) {
            close = true;
            try {
                while (true) {
                    copyBody(limit - position);
                    fill();
                }
            } catch (EOFException e) {
                copyBody(limit - position);
                return;
            }
        }
        copyBody(contentLength);
    }

    /** Makes the buffer hold a whole line from position on; returns the index of its CR. */
    private int requireLine() throws IOException {
        while (true) {
            for (int i = position; i + 1 < limit; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    return i;
                }
            }
            fill();
        }
    }

    private void copyBody(long length) throws IOException {
        if (bodyLength + length > body.length) {
            if (bodyLength + length > 64L * 1024 * 1024) {
                throw new IOException("HTTP body larger than 64 MiB");
            }
            byte[] larger = new byte[(int) Math.max(body.length * 2L, bodyLength + length)];
            System.arraycopy(body, 0, larger, 0, bodyLength);
            body = larger;
        }
        long remaining = length;
        while (remaining > 0) {
            if (position == limit) {
                fill();
            }
            int n = (int) Math.min(remaining, limit - position);
            System.arraycopy(buffer, position, body, bodyLength, n);
            bodyLength += n;
            position += n;
            remaining -= n;
        }
    }

    private boolean startsWithIgnoreCase(int from, int end, byte[] lowerPrefix) {
        if (end - from < lowerPrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length; i++) {
            if (lower(buffer[from + i]) != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean containsIgnoreCase(int from, int end, byte[] lowerNeedle) {
        outer:
        for (int i = from; i + lowerNeedle.length <= end; i++) {
            for (int j = 0; j < lowerNeedle.length; j++) {
                if (lower(buffer[i + j]) != lowerNeedle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private String printable(int from, int to) {
        return new String(buffer, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
