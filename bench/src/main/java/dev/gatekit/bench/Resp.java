package dev.gatekit.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal Redis (RESP2) connection for the few commands a run needs: INFO, SCAN, UNLINK. */
final class Resp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Commands this connection sent, so a run can leave its own out of Redis's command counts. */
    private long sent;

    Resp(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    long sent() {
        return sent;
    }

    /** Sends one command and returns its reply: a String, a Long, a List of replies, or null. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.write(bytes);
            request.write('\r');
            request.write('\n');
        }
        out.write(request.toByteArray());
        sent++;
        return reply();
    }

    /** INFO with the given sections, as one map of field to value over all of them. */
    Map<String, String> info(String... sections) throws IOException {
        String[] args = new String[sections.length + 1];
        args[0] = "INFO";
        System.arraycopy(sections, 0, args, 1, sections.length);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : String.valueOf(call(args)).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /** Unlinks every key matching the pattern; returns how many. */
    long deleteMatching(String pattern) throws IOException {
        String cursor = "0";
        long deleted = 0;
        do {
            List<?> page = (List<?>) call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = String.valueOf(page.get(0));
            List<?> keys = (List<?>) page.get(1);
            if (!keys.isEmpty()) {
                String[] args = new String[keys.size() + 1];
                args[0] = "UNLINK";
                for (int i = 0; i < keys.size(); i++) {
                    args[i + 1] = String.valueOf(keys.get(i));
                }
                deleted += (Long) call(args);
            }
        } while (!"0".equals(cursor));
        return deleted;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Object reply() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items;
            }
            case -1:
                throw new EOFException("redis closed the connection");
            default:
                throw new IOException("redis: unexpected reply type " + (char) type);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new EOFException("redis closed the connection");
            }
            line.append((char) b);
        }
        in.read();
        return line.toString();
    }
}
