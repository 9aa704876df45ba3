package dev.petrel.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw SMTP client over a real socket for server tests: it sends exactly the bytes a test gives
 * it (bare LFs, over-long lines, pipelined junk) and reads replies line by line, so tests can
 * assert the exact wire text. Not a general client: no retries, no parsing beyond the reply code.
 */
public final class SmtpTestClient implements AutoCloseable {
    /** Generous: a reply that takes this long is a failure anyway, and @Timeout bounds the test. */
    private static final int READ_TIMEOUT_MS = 15_000;

    /** One reply: every line as sent (with code and separator), CRLF removed. */
    public record Response(List<String> lines) {
        public int code() {
            return Integer.parseInt(lines.getFirst().substring(0, 3));
        }

        /** The last (for single-line replies: the only) line, e.g. {@code 250 2.0.0 Ok}. */
        public String line() {
            return lines.getLast();
        }

        /** The text of each line without the code and separator, e.g. {@code AUTH PLAIN LOGIN}. */
        public List<String> texts() {
            return lines.stream().map(l -> l.substring(4)).toList();
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        attach(socket);
    }

    public static SmtpTestClient connect(int port) throws IOException {
        return connect(port, null);
    }

    /** Connects to 127.0.0.1:{@code port} from {@code localAddress} (e.g. 127.0.0.2), or any when null. */
    public static SmtpTestClient connect(int port, InetAddress localAddress) throws IOException {
        Socket s = new Socket();
        try {
            if (localAddress != null) s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
            return new SmtpTestClient(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Implicit TLS (port 465 style), verifying the certificate against {@code context}'s trust. */
    public static SmtpTestClient connectTls(SSLContext context, int port, String... protocols) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
        try {
            return new SmtpTestClient(handshake(context, plain, protocols));
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    private static SSLSocket handshake(SSLContext context, Socket plain, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        tls.setSoTimeout(READ_TIMEOUT_MS);
        var params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) params.setProtocols(protocols);
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code STARTTLS}, expects 220 and upgrades this connection. */
    public void startTls(SSLContext context) throws IOException {
        Response r = command("STARTTLS");
        if (r.code() != 220) throw new IOException("STARTTLS refused: " + r.lines());
        upgradeToTls(context);
    }

    /** The TLS handshake over this connection, for a test that sent STARTTLS itself and read the 220. */
    public void upgradeToTls(SSLContext context) throws IOException {
        attach(handshake(context, socket));
    }

    /** Sends {@code line} plus CRLF in one write and reads one reply. */
    public Response command(String line) throws IOException {
        send(line + "\r\n");
        return read();
    }

    /**
     * Reads the greeting, then EHLO, MAIL FROM and RCPT TO (each must be accepted) and DATA (must
     * get 354): the usual way into message content for tests about content.
     */
    public void startData(String from, String to) throws IOException {
        expect(read(), 220);
        expect(command("EHLO client.test"), 250);
        expect(command("MAIL FROM:<" + from + ">"), 250);
        expect(command("RCPT TO:<" + to + ">"), 250);
        expect(command("DATA"), 354);
    }

    private static void expect(Response r, int code) throws IOException {
        if (r.code() != code) throw new IOException("expected " + code + ", got " + r.lines());
    }

    /** Sends the string's UTF-8 bytes exactly as given, in one write. */
    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; fails on EOF or a malformed line. */
    public Response read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) throw new EOFException("connection closed; reply so far: " + lines);
            if (line.length() < 4 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("not an SMTP reply line: " + line);
            }
            lines.add(line);
            if (line.charAt(3) == ' ') return new Response(lines);
        }
    }

    /**
     * True when the server has closed the connection: EOF, or a reset (the server closed with
     * unread client data in its buffer). A timeout means still open and throws.
     */
    public boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) throw new IOException("expected the connection to close, got more data starting with " + (char) b);
            return true;
        } catch (SocketException e) {
            return true; // "Connection reset"
        }
    }

    private String readLine() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
