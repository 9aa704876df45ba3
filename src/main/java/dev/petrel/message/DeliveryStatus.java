package dev.petrel.message;

import java.util.Objects;

/**
 * The outcome of one delivery attempt for one recipient, as logged, recorded in the queue and
 * put into bounces.
 *
 * @param recipient  the recipient
 * @param outcome    delivered, temporary failure (retry later) or permanent failure (bounce)
 * @param dsn        the RFC 3463 status, e.g. {@code 2.0.0}, {@code 4.4.1}, {@code 5.1.1}
 * @param reply      the remote server's reply verbatim (lines joined with a space), or our own
 *                   explanation when there was no reply (e.g. "connect to mx.example[192.0.2.1]:25:
 *                   Connection refused")
 * @param relay      where it went: {@code host[ip]:port}, or {@code none}, or {@code local}
 * @param remoteReply true when {@code reply} came from the remote server (then bounces call it
 *                   {@code Diagnostic-Code: smtp; ...})
 * @param mtaSts     the MTA-STS mode that applied to this attempt ({@code enforce}, {@code testing}),
 *                   for the log line; null when none did. Not stored in the queue: it is a fact
 *                   about this attempt only.
 * @param handoff    for a delivered recipient, who reports success when the sender asked
 *                   (NOTIFY=SUCCESS): we, as "delivered" or "relayed", or the next hop. Not stored
 *                   in the queue either.
 */
public record DeliveryStatus(MailAddress recipient, Outcome outcome, String dsn, String reply, String relay,
                             boolean remoteReply, String mtaSts, Handoff handoff) {
    public DeliveryStatus(MailAddress recipient, Outcome outcome, String dsn, String reply, String relay, boolean remoteReply) {
        this(recipient, outcome, dsn, reply, relay, remoteReply, null, Handoff.FINAL);
    }

    public DeliveryStatus(MailAddress recipient, Outcome outcome, String dsn, String reply, String relay, boolean remoteReply,
                          String mtaSts) {
        this(recipient, outcome, dsn, reply, relay, remoteReply, mtaSts, Handoff.FINAL);
    }

    /** This status, marked as made under an MTA-STS policy of {@code mode}. */
    public DeliveryStatus withMtaSts(String mode) {
        return new DeliveryStatus(recipient, outcome, dsn, reply, relay, remoteReply, mode, handoff);
    }

    /** This status with {@code handoff} saying who reports a success. */
    public DeliveryStatus withHandoff(Handoff handoff) {
        return new DeliveryStatus(recipient, outcome, dsn, reply, relay, remoteReply, mtaSts, handoff);
    }

    /** Where a delivered message went, as RFC 3461 section 5.2.2 distinguishes it for success notices. */
    public enum Handoff {
        /** Into a mailbox (Maildir, LMTP, the capture inbox): a success notice says "delivered". */
        FINAL,
        /** To an SMTP server that does not offer DSN: the notice says "relayed", as no one further will report. */
        RELAYED,
        /** To an SMTP server that took the NOTIFY parameters: it reports, so we do not. */
        DSN_PASSED_ON
    }

    public DeliveryStatus {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(handoff, "handoff");
    }

    public enum Outcome { DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE }

    public static DeliveryStatus temporary(MailAddress rcpt, String dsn, String why, String relay) {
        return new DeliveryStatus(rcpt, Outcome.TEMPORARY_FAILURE, dsn, why, relay, false);
    }

    public static DeliveryStatus permanent(MailAddress rcpt, String dsn, String why, String relay) {
        return new DeliveryStatus(rcpt, Outcome.PERMANENT_FAILURE, dsn, why, relay, false);
    }
}
