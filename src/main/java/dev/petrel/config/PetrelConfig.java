package dev.petrel.config;

import dev.petrel.message.IpNetwork;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of Petrel's configuration, as loaded from a TOML file or built from the
 * embedded defaults. Reloading makes a new snapshot; nothing mutates this one.
 *
 * @param source    the file it was loaded from, or null for the embedded defaults
 */
public record PetrelConfig(
        Path source,
        Server server,
        Smtp smtp,
        Tls tls,
        List<Listener> listeners,
        Relay relay,
        Auth auth) {

    public PetrelConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(tls, "tls");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(auth, "auth");
    }

    /**
     * @param hostname             the name used in the greeting, EHLO reply and Received headers
     * @param dataDir              where the spool, generated keys and the user file live
     * @param maxConnections       concurrent SMTP connections, all listeners together
     * @param maxConnectionsPerIp  concurrent SMTP connections from one client IP
     */
    public record Server(String hostname, Path dataDir, int maxConnections, int maxConnectionsPerIp) {}

    /**
     * @param maxMessageSize  octets; advertised in SIZE and enforced while the message streams in
     * @param maxRecipients   RCPT commands accepted per message; more get 452 4.5.3
     * @param bareLineEndings what to do with a bare CR or LF in commands or content
     * @param longLines       what to do with a content line over 998 octets
     * @param maxErrors       client errors per session before it is disconnected with 421
     * @param commandTimeout  how long to wait for a command (RFC 5321 4.5.3.2.7: 5 minutes)
     * @param dataTimeout     how long to wait for each block of message data (RFC 5321: 3 minutes)
     * @param greetPause      how long to wait before the greeting; a client that talks in that
     *                        time is refused. Zero turns the check off.
     */
    public record Smtp(
            long maxMessageSize,
            int maxRecipients,
            BareLineEndings bareLineEndings,
            LongLines longLines,
            int maxErrors,
            Duration commandTimeout,
            Duration dataTimeout,
            Duration greetPause) {}

    /** Postfix's {@code smtpd_forbid_bare_newline} meanings. */
    public enum BareLineEndings { NORMALIZE, REJECT }

    /** Content lines longer than RFC 5322's 998 octets. */
    public enum LongLines { REJECT, ACCEPT }

    /**
     * @param certificate PEM certificate chain, or null to use a generated self-signed one
     * @param privateKey  PEM private key (PKCS#8 or traditional), or null with {@code certificate}
     */
    public record Tls(Path certificate, Path privateKey) {}

    /**
     * @param name    a short name for logs and the Received header
     * @param address where to listen
     * @param mode    what the listener accepts
     * @param tls     how TLS is offered
     */
    public record Listener(String name, InetSocketAddress address, ListenerMode mode, TlsMode tls) {}

    /**
     * {@code MX}: port 25 style; mail for local domains from anyone, relay only from trusted
     * networks or authenticated users. {@code SUBMISSION}: port 587/465 style; AUTH is required
     * before MAIL.
     */
    public enum ListenerMode { MX, SUBMISSION }

    /** {@code NONE}: plaintext only; {@code STARTTLS}: offered after EHLO; {@code IMPLICIT}: TLS from the first byte (port 465). */
    public enum TlsMode { NONE, STARTTLS, IMPLICIT }

    /**
     * @param localDomains    domains whose mail this server accepts from anyone
     * @param trustedNetworks client networks that may relay anywhere without AUTH
     */
    public record Relay(List<String> localDomains, List<IpNetwork> trustedNetworks) {
        public Relay {
            localDomains = List.copyOf(localDomains);
            trustedNetworks = List.copyOf(trustedNetworks);
        }
    }

    /**
     * @param usersFile         the user database written by {@code petrel user}
     * @param maxFailuresPerIp  failed AUTH attempts from one IP within {@code failureWindow}
     *                          before further attempts are refused with 454 4.7.0
     * @param failureWindow     the window for counting failures
     * @param failureDelay      the pause before answering a failed attempt; it doubles with each
     *                          further failure from the same IP, up to 8 times this value
     */
    public record Auth(Path usersFile, int maxFailuresPerIp, Duration failureWindow, Duration failureDelay) {}
}
