package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.smtp.SessionFailure.Kind;
import dev.petrel.protocol.ClientReply;
import dev.petrel.protocol.EhloCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Makes a connection to one target ready for MAIL FROM: connect, greeting, EHLO (HELO when EHLO
 * gets a 5xx; LHLO for LMTP), STARTTLS as the policy says, EHLO again, AUTH. Any failure is a
 * {@link SessionFailure} and the connection is closed.
 *
 * <p>TLS policy: NONE never starts TLS. OPPORTUNISTIC starts it when offered and accepts any
 * certificate; if STARTTLS is refused it goes on in plaintext, and if the handshake fails,
 * {@link #open} connects once more to the same target without TLS (a broken TLS stack should not
 * stop mail, as with Postfix's {@code may}). REQUIRED needs TLS, any certificate; VERIFY needs a
 * certificate that chains to the trust store and names the target host.
 *
 * <p>AUTH (PLAIN preferred, else LOGIN) happens only when credentials are given and only inside
 * TLS: a password is never sent in the clear. A server that offers no AUTH at all gets the mail
 * without it (it may relay by IP address), as Postfix does. The password never appears in a log
 * or an error text.
 */
final class SessionOpener {
    private static final Logger log = LoggerFactory.getLogger(SessionOpener.class);

    private final ClientSettings settings;
    private final SSLContext anyCertificate;
    private final SSLContext verifying;

    SessionOpener(ClientSettings settings, SSLContext anyCertificate, SSLContext verifying) {
        this.settings = settings;
        this.anyCertificate = anyCertificate;
        this.verifying = verifying;
    }

    /** Credentials for AUTH; {@code toString} hides the password. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + "]";
        }
    }

    /**
     * @param credentials null for no AUTH
     * @param lmtp        LHLO instead of EHLO, and no HELO fallback (RFC 2033)
     */
    SmtpConnection open(Target target, OutboundTls tls, Credentials credentials, boolean lmtp) throws SessionFailure {
        try {
            return openOnce(target, tls, credentials, lmtp, true);
        } catch (SessionFailure f) {
            if (f.kind() != Kind.TLS_HANDSHAKE || tls != OutboundTls.OPPORTUNISTIC) throw f;
            log.info("{}: {}; trying again without TLS", target, f.text());
            return openOnce(target, tls, credentials, lmtp, false);
        }
    }

    private SmtpConnection openOnce(Target target, OutboundTls tls, Credentials credentials, boolean lmtp,
                                    boolean tryTls) throws SessionFailure {
        SmtpConnection c;
        try {
            c = SmtpConnection.open(target, settings.connectTimeout(), settings.commandTimeout());
        } catch (SocketTimeoutException e) {
            throw new SessionFailure(Kind.CONNECT, "4.4.1", "connect to " + target + ": Connection timed out", false);
        } catch (IOException e) {
            throw new SessionFailure(Kind.CONNECT, "4.4.1", "connect to " + target + ": " + e.getMessage(), false);
        }
        try {
            c.phase("receiving the initial server greeting");
            expectPositive(c.read(settings.commandTimeout()));
            hello(c, lmtp);
            if (tls != OutboundTls.NONE && tryTls) startTls(c, tls, lmtp);
            if (credentials != null) authenticate(c, credentials);
            return c;
        } catch (SessionFailure f) {
            if (f.kind() == Kind.REPLY || f.kind() == Kind.AUTH || f.kind() == Kind.TLS_UNAVAILABLE) c.quit();
            else c.close();
            throw f;
        } catch (IOException e) {
            c.close();
            throw new SessionFailure(e instanceof SocketTimeoutException ? Kind.TIMEOUT : Kind.IO,
                    SmtpConnection.dsnOf(e), c.describe(e), false);
        }
    }

    private void hello(SmtpConnection c, boolean lmtp) throws IOException, SessionFailure {
        c.phase("performing the " + (lmtp ? "LHLO" : "EHLO") + " handshake");
        c.send((lmtp ? "LHLO " : "EHLO ") + settings.heloName());
        ClientReply reply = c.read(settings.commandTimeout());
        if (reply.isPositive()) {
            c.capabilities(EhloCapabilities.parse(reply));
            return;
        }
        if (lmtp || !reply.isPermanent()) expectPositive(reply);
        // RFC 5321 section 3.2: a server that does not know EHLO still speaks HELO.
        c.phase("performing the HELO handshake");
        c.send("HELO " + settings.heloName());
        expectPositive(c.read(settings.commandTimeout()));
        c.capabilities(EhloCapabilities.none());
    }

    private void startTls(SmtpConnection c, OutboundTls policy, boolean lmtp) throws IOException, SessionFailure {
        boolean required = policy == OutboundTls.REQUIRED || policy == OutboundTls.VERIFY;
        if (!c.capabilities().startTls()) {
            if (!required) return;
            throw new SessionFailure(Kind.TLS_UNAVAILABLE, "4.7.4",
                    "TLS is required, but was not offered by host " + c.target(), false);
        }
        c.phase("sending STARTTLS");
        c.send("STARTTLS");
        ClientReply reply = c.read(settings.commandTimeout());
        if (reply.code() != 220) {
            if (!required) return; // opportunistic: the session is still usable in plaintext
            throw new SessionFailure(Kind.TLS_UNAVAILABLE, "4.7.4",
                    "TLS is required, but host " + c.target() + " refused STARTTLS: " + reply.verbatim(), false);
        }
        c.phase("performing the TLS handshake");
        boolean verify = policy == OutboundTls.VERIFY;
        try {
            c.startTls(verify ? verifying : anyCertificate, verify, settings.commandTimeout());
        } catch (IOException e) {
            throw new SessionFailure(Kind.TLS_HANDSHAKE, "4.7.5",
                    "TLS handshake with " + c.target() + " failed: " + e.getMessage(), false);
        }
        hello(c, lmtp);
    }

    private void authenticate(SmtpConnection c, Credentials credentials) throws IOException, SessionFailure {
        if (c.tls() == null) {
            throw new SessionFailure(Kind.AUTH, "4.7.0", "relay requires AUTH but TLS is not available", false);
        }
        Set<String> offered = c.capabilities().authMechanisms();
        if (offered.isEmpty()) {
            log.debug("{}: no AUTH offered; sending without authentication", c.target());
            return;
        }
        c.phase("performing SASL authentication");
        ClientReply reply;
        if (offered.contains("PLAIN")) {
            c.send("AUTH PLAIN " + base64("\0" + credentials.username() + "\0" + credentials.password()));
            reply = c.read(settings.commandTimeout());
        } else if (offered.contains("LOGIN")) {
            c.send("AUTH LOGIN");
            reply = c.read(settings.commandTimeout());
            if (reply.code() == 334) {
                c.send(base64(credentials.username()));
                reply = c.read(settings.commandTimeout());
            }
            if (reply.code() == 334) {
                c.send(base64(credentials.password()));
                reply = c.read(settings.commandTimeout());
            }
        } else {
            throw new SessionFailure(Kind.AUTH, "4.7.0", "host " + c.target()
                    + " offers no AUTH mechanism Petrel supports (PLAIN, LOGIN); it offers " + offered, false);
        }
        if (reply.code() != 235) throw new SessionFailure(Kind.AUTH, failureDsn(reply), reply.verbatim(), true);
    }

    private static void expectPositive(ClientReply reply) throws SessionFailure {
        if (!reply.isPositive()) throw new SessionFailure(Kind.REPLY, failureDsn(reply), reply.verbatim(), true);
    }

    /** A refusal's own status; a 2xx or 3xx where a failure was seen is a protocol oddity (4.5.0). */
    private static String failureDsn(ClientReply reply) {
        return reply.code() >= 400 ? reply.dsn() : "4.5.0";
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
