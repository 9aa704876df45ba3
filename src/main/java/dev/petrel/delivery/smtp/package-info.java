/**
 * Outbound SMTP and LMTP: {@link dev.petrel.delivery.smtp.SmtpTransport} delivers to MX hosts or
 * a relay, {@link dev.petrel.delivery.smtp.LmtpTransport} to a local LMTP server such as Dovecot.
 *
 * <p>Roles, in call order: {@code SmtpTransport}/{@code LmtpTransport} pick targets and map
 * outcomes; {@code ConnectionPool} keeps idle connections per route; {@code SessionOpener} takes a
 * fresh connection through greeting, EHLO, STARTTLS and AUTH; {@code MailTransaction} sends one
 * message (MAIL, RCPT, DATA, with PIPELINING when offered); {@code SmtpConnection} is the socket,
 * reply reading and write watchdog; {@code ClientTls} makes the TLS contexts. Reply parsing, EHLO
 * keywords and dot-stuffing are pure code in {@code dev.petrel.protocol}. For MX delivery
 * {@code SmtpTransport} asks {@code delivery.mtasts.MtaSts} for the domain's policy and
 * {@code StsEnforcement} says which MX hosts may be tried and that they need verified TLS.
 *
 * <p>Failure modes: nothing here throws for a failing destination; every recipient gets a
 * {@link dev.petrel.message.DeliveryStatus}. Remote replies are kept verbatim with their own
 * enhanced code (or X.0.0 of the reply class). Our own statuses: 4.4.1 could not connect
 * (refused, connect timeout), 4.4.2 connection broken or timed out after it was established,
 * 4.5.0 the server does not speak SMTP, 4.7.4 TLS required but not offered, 4.7.5 TLS handshake or
 * certificate failure, 4.7.0 AUTH impossible (no TLS, no common mechanism), 5.6.7 SMTPUTF8 needed
 * but not offered, 5.3.4 larger than the server's SIZE, 4.7.5 no MX host allowed by an MTA-STS
 * enforce policy (a TLS failure under it keeps its 4.7.4 or 4.7.5, with the policy named). Failures before MAIL FROM on one target
 * (including a 5xx greeting) move on to the next target and end as temporary failures when none is
 * left; the transaction's own replies are final for the attempt. Timeouts follow RFC 5321 section
 * 4.5.3.2 with the configured connect, command and data timeouts; writes are bounded by the
 * command timeout.
 *
 * <p>Threading: transports are thread-safe; a connection is used by one delivery at a time. Logs:
 * debug lines with the queue id; passwords are never logged or put into a status.
 */
package dev.petrel.delivery.smtp;
