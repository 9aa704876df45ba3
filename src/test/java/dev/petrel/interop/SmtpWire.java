package dev.petrel.interop;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb SMTP client for interop tests that need exact control of the bytes on the
 * wire: it writes what it is told, in one write, and reads replies one byte at a time so that
 * nothing is ever buffered past the reply it was asked for (which matters when TLS is layered
 * over the plaintext socket after STARTTLS).
 */
final class SmtpWire implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 15_000;

    private final Socket plain;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpWire(Socket plain, Socket socket) throws IOException {
        this.plain = plain;
        use(socket);
    }

    /** A plaintext connection to 127.0.0.1:port. */
    static SmtpWire plain(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return new SmtpWire(s, s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** An implicit-TLS connection (port 465 style), verifying the certificate and the name 127.0.0.1. */
    static SmtpWire implicitTls(SSLContext context, int port) throws IOException {
        SmtpWire w = plain(port);
        try {
            w.startTls(context);
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /** Layers TLS over the current socket (after a 220 to STARTTLS, or right away for implicit TLS). */
    void startTls(SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", plain.getPort(), true);
        var params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setSoTimeout(TIMEOUT_MILLIS);
        tls.startHandshake();
        use(tls);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    SSLSocket tlsSocket() {
        return (SSLSocket) socket;
    }

    /** Bytes the plaintext socket holds that nobody has read yet (0 after a clean STARTTLS). */
    int plaintextAvailable() throws IOException {
        return plain.getInputStream().available();
    }

    /** Writes {@code text} as UTF-8 in one write; the caller supplies every CRLF. */
    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one command line (CRLF added) and returns its reply. */
    Reply command(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    /** Reads one complete, possibly multi-line, reply. */
    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) throw new EOFException("connection closed; reply so far: " + lines);
            if (line.length() < 4 || !Character.isDigit(line.charAt(0))) {
                throw new IOException("not an SMTP reply line: '" + line + "' after " + lines);
            }
            lines.add(line);
            if (line.charAt(3) == ' ') return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
        }
    }

    /** One line without its CRLF, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /** Everything the server still sends until it closes the connection. */
    String drain() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            plain.close();
        }
    }

    /** A server reply: the code and the full lines as received. */
    record Reply(int code, List<String> lines) {
        String last() {
            return lines.getLast();
        }

        /** The last line without the code and separator, e.g. {@code 2.0.0 Ok}. */
        String text() {
            return last().substring(4);
        }

        boolean has(String extensionLine) {
            return lines.stream().anyMatch(l -> l.substring(4).equalsIgnoreCase(extensionLine)
                    || l.substring(4).toUpperCase().startsWith(extensionLine.toUpperCase() + " "));
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
    }
}
