package dev.petrel.delivery.smtp;

import dev.petrel.delivery.Target;
import dev.petrel.message.Envelope.TlsInfo;
import dev.petrel.protocol.ClientReply;
import dev.petrel.protocol.EhloCapabilities;
import dev.petrel.protocol.ReplyParser;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to an SMTP or LMTP server: bytes out, replies in, STARTTLS. Knows no
 * SMTP semantics beyond reply framing; {@link SessionOpener} and {@link MailTransaction} drive it.
 *
 * <p>Every read waits at most the timeout given (SO_TIMEOUT); every write at most the command
 * timeout, enforced by a watchdog that closes the socket, since blocking socket writes have no
 * timeout of their own and a server that stops reading would otherwise hang a delivery forever.
 * A timeout surfaces as {@link SocketTimeoutException}, a malformed reply as
 * {@link ProtocolException}. Used by one thread at a time (the pool hands it over).
 */
final class SmtpConnection implements Closeable {
    /** Longer than RFC 5321's 512 octets, for servers that write long texts; beyond it is garbage. */
    private static final int MAX_LINE = 8192;
    private static final int WRITE_BLOCK = 64 * 1024;

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    /** A reply line that is not SMTP; treated like a broken connection. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final Target target;
    private final Duration writeTimeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ReplyParser parser = new ReplyParser();
    private volatile boolean writeTimedOut;
    private TlsInfo tls;
    private EhloCapabilities capabilities = EhloCapabilities.none();
    private int messages;
    private long idleSinceNanos;
    private String phase = "connecting";

    private SmtpConnection(Target target, Socket socket, Duration writeTimeout) throws IOException {
        this.target = target;
        this.writeTimeout = writeTimeout;
        use(socket);
    }

    /** Connects to {@code target}; the caller reads the greeting. */
    static SmtpConnection open(Target target, Duration connectTimeout, Duration writeTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            // Nagle plus delayed ACK costs ~40 ms per exchange (see DESIGN.md); commands are small.
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.address(), target.port()), millis(connectTimeout));
            return new SmtpConnection(target, socket, writeTimeout);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    Target target() {
        return target;
    }

    /** The TLS protocol and cipher once STARTTLS succeeded, else null. */
    TlsInfo tls() {
        return tls;
    }

    EhloCapabilities capabilities() {
        return capabilities;
    }

    void capabilities(EhloCapabilities c) {
        capabilities = c;
    }

    /** Messages sent over this connection so far (counts toward maxMessagesPerConnection). */
    int messages() {
        return messages;
    }

    void countMessage() {
        messages++;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    /** What the conversation is doing now, for error texts: "... while {@code phase}". */
    void phase(String what) {
        phase = what;
    }

    /**
     * A failure during the conversation as Postfix would word it: {@code conversation with
     * mx.example[192.0.2.1]:25 timed out while sending RCPT TO}.
     */
    String describe(IOException e) {
        if (e instanceof SocketTimeoutException) return "conversation with " + target + " timed out while " + phase;
        if (e instanceof ProtocolException) return "protocol error from " + target + " while " + phase + ": " + e.getMessage();
        return "lost connection with " + target + " while " + phase
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    /**
     * The RFC 3463 status for {@link #describe}: 4.4.2 (bad connection: established, then timed out
     * or broken), or 4.5.0 for a server that does not speak SMTP.
     */
    static String dsnOf(IOException e) {
        return e instanceof ProtocolException ? "4.5.0" : "4.4.2";
    }

    /** Writes one or more commands in a single write (one TCP segment when pipelining). */
    void send(String... commands) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String c : commands) sb.append(c).append("\r\n");
        write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes in blocks of {@value #WRITE_BLOCK} bytes, each within the write timeout: like RFC 5321's
     * 3-minute "data block" timeout, a slow but moving link is fine, a stalled one is not.
     */
    void write(byte[] bytes) throws IOException {
        for (int off = 0; off < bytes.length; off += WRITE_BLOCK) {
            ScheduledFuture<?> alarm = WATCHDOG.schedule(this::writeTimedOut, millis(writeTimeout), TimeUnit.MILLISECONDS);
            try {
                out.write(bytes, off, Math.min(WRITE_BLOCK, bytes.length - off));
            } catch (IOException e) {
                if (writeTimedOut) throw new SocketTimeoutException("write timed out");
                throw e;
            } finally {
                alarm.cancel(false);
            }
        }
        out.flush();
    }

    private void writeTimedOut() {
        writeTimedOut = true;
        closeQuietly();
    }

    /** Reads one complete reply, waiting at most {@code timeout} for each line. */
    ClientReply read(Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
        while (true) {
            String line = readLine();
            switch (parser.feed(line)) {
                case ReplyParser.More m -> { }
                case ReplyParser.Done d -> {
                    return d.reply();
                }
                case ReplyParser.Malformed m -> throw new ProtocolException(
                        "malformed reply (" + m.reason() + "): " + abbreviate(m.line()));
            }
        }
    }

    /**
     * True when the server has written something unasked, typically a 421 before closing an idle
     * connection: such a connection is not worth reusing.
     */
    boolean hasUnreadInput() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed by the server");
            if (b == '\n') break;
            if (line.size() >= MAX_LINE) throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Runs the TLS handshake after the server's 220 to STARTTLS. Bytes the server sent after that
     * reply (there should be none) are dropped with the old buffer, as RFC 3207 section 4.2
     * requires.
     */
    void startTls(SSLContext context, boolean verifyHostname, Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
        SSLSocket s = ClientTls.handshake(context, socket, target, verifyHostname);
        tls = new TlsInfo(s.getSession().getProtocol(), s.getSession().getCipherSuite());
        use(s);
        capabilities = EhloCapabilities.none();
    }

    /** Sends QUIT and waits briefly for its reply, then closes; never throws. */
    void quit() {
        try {
            send("QUIT");
            read(Duration.ofSeconds(2));
        } catch (IOException | RuntimeException ignored) {
            // The server may already be gone; closing is all that matters now.
        }
        closeQuietly();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return target.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    static int millis(Duration d) {
        long ms = d.toMillis();
        return ms <= 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("smtp-client-watchdog");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
