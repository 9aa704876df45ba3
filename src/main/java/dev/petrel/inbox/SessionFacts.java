package dev.petrel.inbox;

import dev.petrel.message.Envelope;
import dev.petrel.message.Recipient;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the SMTP session knew about a captured message besides its bytes: the envelope and how the
 * client connected. The capture transport fills it in; the inbox stores it as given and shows it in
 * the API as {@code Envelope} and {@code Authentication}.
 *
 * @param mailFrom       the reverse-path as written, without angle brackets; empty for the null sender
 * @param rcptTo         the forward-paths in RCPT order (at least one)
 * @param authUser       the SASL identity of an authenticated client, or null
 * @param clientIp       the client's IP address as text, or null when unknown
 * @param helo           the EHLO/HELO name, or null
 * @param tlsProtocol    the negotiated TLS protocol (e.g. {@code TLSv1.3}), or null without TLS
 * @param tlsCipher      the negotiated cipher suite, or null without TLS
 * @param listener       the name of the listener the message came in on, or null
 * @param receivedAt     when the message was accepted
 * @param authentication the DKIM/SPF/DMARC outcome as captured
 */
public record SessionFacts(
        String mailFrom,
        List<String> rcptTo,
        String authUser,
        String clientIp,
        String helo,
        String tlsProtocol,
        String tlsCipher,
        String listener,
        Instant receivedAt,
        AuthenticationFacts authentication) {

    public SessionFacts {
        mailFrom = mailFrom == null ? "" : mailFrom;
        rcptTo = List.copyOf(rcptTo);
        Objects.requireNonNull(receivedAt, "receivedAt");
        authentication = authentication == null ? AuthenticationFacts.NONE : authentication;
        if (rcptTo.isEmpty()) throw new IllegalArgumentException("a captured message needs at least one RCPT TO");
    }

    /** Minimal facts for tests and tools that inject a message without an SMTP session. */
    public static SessionFacts of(String mailFrom, List<String> rcptTo, Instant receivedAt) {
        return new SessionFacts(mailFrom, rcptTo, null, null, null, null, null, null, receivedAt, AuthenticationFacts.NONE);
    }

    /** The facts of a spooled message's {@link Envelope}, with the authentication outcome the caller found. */
    public static SessionFacts of(Envelope envelope, AuthenticationFacts authentication) {
        List<String> recipients = envelope.recipients().stream().map(Recipient::address).map(Object::toString).toList();
        Envelope.TlsInfo tls = envelope.tls();
        return new SessionFacts(envelope.senderText(), recipients, envelope.authIdentity(),
                envelope.client().getHostAddress(), envelope.helo(),
                tls == null ? null : tls.protocol(), tls == null ? null : tls.cipherSuite(),
                envelope.listener(), envelope.receivedAt(), authentication);
    }

    /** Whether the session was encrypted. */
    public boolean usedTls() {
        return tlsProtocol != null;
    }
}
