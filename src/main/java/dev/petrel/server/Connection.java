package dev.petrel.server;

import dev.petrel.message.Envelope.TlsInfo;
import dev.petrel.protocol.ReceivedHeader;
import dev.petrel.protocol.Replies;
import dev.petrel.protocol.Reply;
import dev.petrel.protocol.ServerSession;
import dev.petrel.protocol.SessionHandler;
import dev.petrel.protocol.SessionOutput;
import dev.petrel.server.tls.TlsContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client connection, run on its own virtual thread: implicit TLS if the listener wants it,
 * the pre-greeting check, then the read → session → write loop, with STARTTLS upgrades and
 * timeouts. All protocol decisions are the session's; this class only moves bytes.
 *
 * <p>Reads and writes are untimed; each is covered by the connection's {@link Deadline}, which
 * the server's {@link DeadlineWatch} enforces by shutting the input (a read then ends, and the
 * session answers the timeout) or, for a write the client never takes, by closing the socket.
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger("petrel.smtpd");
    private static final int READ_BUFFER = 8 * 1024;

    private final Socket plain;
    /** The client: the socket's peer, or the one a load balancer named in its PROXY header. */
    private final InetSocketAddress client;
    private final ListenerContext listener;
    private final String sessionId;
    private final Function<TlsInfo, ServerSession> sessions;
    private final Supplier<Optional<Reply>> connectCheck;
    private final Runnable onClose;
    private final DataRateMeter dataRate;
    private final Clock clock;
    private final Deadline deadline = new Deadline();
    private Socket socket;

    Connection(Socket socket, InetSocketAddress client, ListenerContext listener, String sessionId,
               Function<TlsInfo, ServerSession> sessions, Supplier<Optional<Reply>> connectCheck, Runnable onClose,
               DataRateMeter dataRate, Clock clock) {
        this.plain = socket;
        this.client = client;
        this.socket = socket;
        this.listener = listener;
        this.sessionId = sessionId;
        this.sessions = sessions;
        this.connectCheck = connectCheck;
        this.onClose = onClose;
        this.dataRate = dataRate;
        this.clock = clock;
    }

    @Override
    public void run() {
        InetSocketAddress peer = (InetSocketAddress) plain.getRemoteSocketAddress();
        String client = ReceivedHeader.addressLiteral(this.client.getAddress()) + ":" + this.client.getPort()
                + (peer.equals(this.client) ? "" : " via " + ReceivedHeader.addressLiteral(peer.getAddress()));
        log.info("{}: connect from {} to {}", sessionId, client, listener.name());
        ServerSession session = null;
        String end = "disconnect";
        try {
            plain.setTcpNoDelay(true);
            TlsInfo implicitTls = null;
            if (listener.implicitTls()) {
                deadline.arm(listener.commandTimeout(), false);
                socket = TlsContextFactory.upgrade(listener.sslContext(), plain);
                deadline.disarm();
                implicitTls = tlsInfo((SSLSocket) socket);
            }
            session = sessions.apply(implicitTls);
            if (talkedBeforeGreeting()) {
                write(Replies.TALKED_BEFORE_GREETING.toWire());
                end = "pregreet";
                return;
            }
            // A listed client gets 554 instead of 220 (RFC 5321 3.1) and is closed.
            Optional<Reply> refusal = connectCheck.get();
            if (refusal.isPresent()) {
                write(refusal.get().toWire());
                end = "refused (" + refusal.get() + ")";
                return;
            }
            // Talking before the 220 breaks RFC 5321 3.1 whether or not we paused on purpose.
            if (listener.refuseEarlyTalkers() && socket.getInputStream().available() > 0) {
                write(Replies.TALKED_BEFORE_GREETING.toWire());
                end = "pregreet";
                return;
            }
            write(session.greet().toWire());
            end = loop(session);
        } catch (SessionHandler.DropConnection e) {
            end = "dropped on purpose (" + e.getMessage() + ")";
        } catch (SocketTimeoutException e) {
            end = "timeout";
        } catch (IOException e) {
            end = deadline.expired() ? "timeout" : "disconnect (" + e.getMessage() + ")";
        } catch (RuntimeException e) {
            // A bug in a check or a sink must not cut the client off without a word: 421 4.3.0,
            // and nothing half-received was acknowledged (the finally aborts it).
            log.error("{}: internal error, closing the session", sessionId, e);
            try {
                write(Replies.INTERNAL_ERROR.toWire());
            } catch (IOException ignored) {
                // The client is gone as well.
            }
            end = "internal error (" + e + ")";
        } finally {
            if (session != null) session.close();
            closeQuietly();
            onClose.run();
            log.info("{}: {} from {}", sessionId, end, client);
        }
    }

    private String loop(ServerSession session) throws IOException {
        byte[] buffer = new byte[READ_BUFFER];
        InputStream in = socket.getInputStream();
        boolean wasContent = false;
        while (true) {
            boolean content = session.receivingContent();
            if (content && !wasContent) dataRate.start(clock.millis());
            wasContent = content;
            long timeout = (content ? listener.dataTimeout() : listener.commandTimeout()).toMillis();
            // With min_data_rate the read also ends when the transfer falls below the rate.
            long untilTooSlow = content && dataRate.enabled() ? dataRate.deadline() - clock.millis() : Long.MAX_VALUE;
            if (untilTooSlow <= 0) return tooSlow(session);
            deadline.arm(Duration.ofMillis(Math.min(timeout, untilTooSlow)), false);
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                if (!deadline.expired()) throw e;
                n = -1; // a TLS socket may report the input cut off under it as an error
            }
            deadline.disarm();
            if (deadline.expired()) {
                if (untilTooSlow < timeout) return tooSlow(session);
                write(session.timeout().toWire());
                return "timeout";
            }
            if (n < 0) return "disconnect";
            if (content) dataRate.received(n);
            SessionOutput output = session.receive(buffer, 0, n);
            write(output.toWire());
            switch (output.action()) {
                case CONTINUE -> { }
                case CLOSE -> {
                    return "disconnect";
                }
                case START_TLS -> {
                    // Fresh streams over the TLS socket: nothing read in plaintext is carried over.
                    deadline.arm(listener.commandTimeout(), false);
                    SSLSocket tls = TlsContextFactory.upgrade(listener.sslContext(), socket);
                    deadline.disarm();
                    socket = tls;
                    in = tls.getInputStream();
                    session.tlsStarted(tlsInfo(tls));
                    log.info("{}: STARTTLS {} {}", sessionId, tls.getSession().getProtocol(), tls.getSession().getCipherSuite());
                }
            }
        }
    }

    /** The message in transfer is dropped (never acknowledged, so nothing is lost) and the client told why. */
    private String tooSlow(ServerSession session) throws IOException {
        session.close();
        write(Replies.DATA_RATE_TOO_LOW.toWire());
        return "data rate too low";
    }

    /** With a greet pause, a client that sends anything before our 220 is a bot that does not wait. */
    private boolean talkedBeforeGreeting() throws IOException {
        Duration pause = listener.greetPause();
        if (pause.isZero()) return false;
        // The one timed read of a session: it happens once, and its timeout is the point.
        socket.setSoTimeout(millis(pause));
        try {
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /** Writes within the command timeout: a client that stops reading its replies is cut off. */
    private void write(byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        OutputStream out = socket.getOutputStream();
        deadline.arm(listener.commandTimeout(), true);
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            if (deadline.expired()) throw new SocketTimeoutException("write timed out");
            throw e;
        } finally {
            deadline.disarm();
        }
    }

    /**
     * Called by the {@link DeadlineWatch}: when this connection's deadline has passed, cuts off its
     * blocked call. A read is ended by shutting the input, so the session can still answer the
     * timeout; a write the client never takes can only be ended by closing the socket.
     */
    void expireIfDue(long now) {
        if (!deadline.expire(now)) return;
        if (deadline.writing()) {
            closeQuietly();
            return;
        }
        try {
            plain.shutdownInput();
        } catch (IOException e) {
            closeQuietly(); // already closed or broken: closing ends the read as well
        }
    }

    /** Sends a one-line refusal and closes; used before a session exists. */
    static void refuse(Socket socket, Reply reply) {
        try (socket) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(reply.toWire());
        } catch (IOException ignored) {
            // The client went away first; nothing to tell it.
        }
    }

    private static TlsInfo tlsInfo(SSLSocket s) {
        return new TlsInfo(s.getSession().getProtocol(), s.getSession().getCipherSuite());
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a broken socket has nothing left to report.
        }
        try {
            plain.close();
        } catch (IOException ignored) {
            // As above.
        }
    }

    void abort() {
        closeQuietly();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
