package dev.petrel.delivery.mtasts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.x response to a policy request and returns its body, refusing what RFC 8461
 * section 3.3 refuses: any status but 200 (redirects are not followed), a media type other than
 * {@code text/plain}, and bodies over {@code maxBody} bytes. Understands Content-Length, chunked
 * transfer coding and close-delimited bodies. Every size is capped (status and header lines
 * {@value #MAX_LINE} bytes, {@value #MAX_HEADERS} headers), so a hostile server can make it read
 * at most a bounded amount; the time bound is the caller's stream's. Pure code over a stream.
 */
final class HttpResponseReader {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;

    private final InputStream in;
    private final int maxBody;

    HttpResponseReader(InputStream in, int maxBody) {
        this.in = in;
        this.maxBody = maxBody;
    }

    String readBody() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x response: " + StsPolicyParser.shorten(status));
        if (!parts[1].equals("200")) {
            throw new IOException("HTTP status " + StsPolicyParser.shorten(status.substring(parts[0].length() + 1))
                    + " (only 200 counts; redirects are not followed)");
        }
        long length = -1;
        boolean chunked = false;
        String type = null;
        for (int i = 0; ; i++) {
            String header = line();
            if (header.isEmpty()) break;
            if (i >= MAX_HEADERS) throw new IOException("more than " + MAX_HEADERS + " header lines");
            int colon = header.indexOf(':');
            if (colon <= 0) throw new IOException("bad header line: " + StsPolicyParser.shorten(header));
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + StsPolicyParser.shorten(value));
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "content-type" -> type = value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                default -> { }
            }
        }
        if (!"text/plain".equals(type)) {
            throw new IOException("Content-Type is " + (type == null ? "missing" : StsPolicyParser.shorten(type)) + ", not text/plain");
        }
        byte[] body = chunked ? chunked() : length >= 0 ? exactly(length) : untilEnd();
        return new String(body, StandardCharsets.UTF_8);
    }

    private byte[] exactly(long length) throws IOException {
        if (length > maxBody) throw tooLarge();
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) throw new IOException("connection closed after " + body.length + " of " + length + " bytes");
        return body;
    }

    private byte[] untilEnd() throws IOException {
        byte[] body = in.readNBytes(maxBody + 1);
        if (body.length > maxBody) throw tooLarge();
        return body;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line().split(";", 2)[0].strip();
            int size;
            try {
                size = Integer.parseInt(sizeLine, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + StsPolicyParser.shorten(sizeLine));
            }
            if (size < 0 || body.size() + (long) size > maxBody) throw tooLarge();
            if (size == 0) return body.toByteArray(); // trailers are not needed; the connection closes
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) throw new IOException("connection closed inside a chunk");
            body.write(chunk);
            if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    private IOException tooLarge() {
        return new IOException("policy larger than " + maxBody + " bytes");
    }

    /** One line without its CRLF (or LF), at most {@value #MAX_LINE} bytes, ISO-8859-1 as HTTP headers are. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed in the response head");
            if (b == '\n') break;
            if (sb.length() >= MAX_LINE) throw new IOException("response line longer than " + MAX_LINE + " bytes");
            sb.append((char) b);
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') sb.setLength(end - 1);
        return sb.toString();
    }
}
