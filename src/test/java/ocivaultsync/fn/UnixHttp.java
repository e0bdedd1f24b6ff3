package ocivaultsync.fn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over one unix-socket connection, kept alive across requests, as the Fn agent talks to a container. */
public final class UnixHttp implements AutoCloseable {

    /** A response: status, headers (lower-case names) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    private final SocketChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public UnixHttp(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    public Response post(String path, Map<String, String> headers, String body, boolean chunked) throws IOException {
        return post(path, headers.entrySet(), body, chunked);
    }

    /** With headers given as lines, so one name may appear more than once. */
    public Response post(String path, Iterable<Map.Entry<String, String>> headers, String body, boolean chunked)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach(h -> req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        req.append("Content-Type: application/json\r\n");
        if (chunked) {
            req.append("Transfer-Encoding: chunked\r\n\r\n");
            write(req.toString().getBytes(StandardCharsets.US_ASCII));
            int half = bytes.length / 2;
            chunk(java.util.Arrays.copyOfRange(bytes, 0, half));
            chunk(java.util.Arrays.copyOfRange(bytes, half, bytes.length));
            write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            req.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            write(req.toString().getBytes(StandardCharsets.US_ASCII));
            write(bytes);
        }
        return read();
    }

    private void chunk(byte[] b) throws IOException {
        write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        write(b);
        write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void write(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private Response read() throws IOException {
        String head = readUntil("\r\n\r\n");
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        String body;
        if (headers.containsKey("content-length")) {
            body = new String(readBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        } else {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int size = Integer.parseInt(readUntil("\r\n").trim(), 16);
                if (size == 0) {
                    readUntil("\r\n");
                    break;
                }
                sb.append(new String(readBytes(size), StandardCharsets.UTF_8));
                readUntil("\r\n");
            }
            body = sb.toString();
        }
        return new Response(status, headers, body);
    }

    private String readUntil(String end) throws IOException {
        while (true) {
            String s = pending.toString(StandardCharsets.ISO_8859_1);
            int at = s.indexOf(end);
            if (at >= 0) {
                byte[] all = pending.toByteArray();
                pending.reset();
                pending.write(all, at + end.length(), all.length - at - end.length());
                return s.substring(0, at);
            }
            fill();
        }
    }

    private byte[] readBytes(int n) throws IOException {
        while (pending.size() < n) {
            fill();
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, n, all.length - n);
        return java.util.Arrays.copyOf(all, n);
    }

    private void fill() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        int r = channel.read(buf);
        if (r < 0) {
            throw new IOException("the connection closed");
        }
        pending.write(buf.array(), 0, r);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
