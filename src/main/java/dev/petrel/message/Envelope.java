package dev.petrel.message;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about a message besides its bytes: who sent it, to whom, and how it arrived.
 * This is what the spool writes next to the content, and what bounces and logs are built from.
 *
 * @param sender       the reverse-path; null for the null sender {@code <>} (bounces)
 * @param recipients   at least one recipient, in RCPT order
 * @param body         the BODY parameter of MAIL FROM
 * @param smtpUtf8     true when MAIL FROM carried SMTPUTF8
 * @param ret          the DSN RET parameter, or null when not given
 * @param envId        the DSN ENVID parameter (xtext-decoded), or null
 * @param authIdentity the SASL identity of an authenticated client, or null
 * @param client       the client's IP address
 * @param helo         the name the client gave in EHLO/HELO
 * @param listener     the name of the listener the message came in on
 * @param tls          TLS details when the session was encrypted, or null
 * @param receivedAt   when the message was accepted
 * @param quarantine   why policy quarantined the message (it is kept in the queue, held, until an
 *                     operator releases or deletes it), or null for normal mail
 */
public record Envelope(
        MailAddress sender,
        List<Recipient> recipients,
        BodyType body,
        boolean smtpUtf8,
        Ret ret,
        String envId,
        String authIdentity,
        InetAddress client,
        String helo,
        String listener,
        TlsInfo tls,
        Instant receivedAt,
        String quarantine) {

    public Envelope {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (recipients.isEmpty()) throw new IllegalArgumentException("an envelope needs a recipient");
    }

    /** An envelope of normal (not quarantined) mail. */
    public Envelope(MailAddress sender, List<Recipient> recipients, BodyType body, boolean smtpUtf8, Ret ret, String envId,
                    String authIdentity, InetAddress client, String helo, String listener, TlsInfo tls, Instant receivedAt) {
        this(sender, recipients, body, smtpUtf8, ret, envId, authIdentity, client, helo, listener, tls, receivedAt, null);
    }

    /** This envelope, quarantined for {@code reason}. */
    public Envelope withQuarantine(String reason) {
        return new Envelope(sender, recipients, body, smtpUtf8, ret, envId, authIdentity, client, helo, listener, tls,
                receivedAt, Objects.requireNonNull(reason, "reason"));
    }

    /** True for the null reverse-path {@code <>}, as bounces use. */
    public boolean hasNullSender() {
        return sender == null;
    }

    /** The reverse-path as written in logs and headers: {@code sender} or empty for {@code <>}. */
    public String senderText() {
        return sender == null ? "" : sender.toString();
    }

    /** BODY parameter values (RFC 1652, RFC 3030). */
    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** DSN RET parameter values (RFC 3461 section 4.3). */
    public enum Ret { FULL, HDRS }

    /** The negotiated TLS protocol and cipher suite, e.g. {@code TLSv1.3} and {@code TLS_AES_256_GCM_SHA384}. */
    public record TlsInfo(String protocol, String cipherSuite) {
        public TlsInfo {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
        }
    }
}
