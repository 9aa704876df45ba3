package dev.petrel.mailauth;

import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.arc.ArcResult;
import dev.petrel.mailauth.arc.ArcVerifier;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dkim.DkimVerifier;
import dev.petrel.mailauth.dmarc.DmarcEvaluator;
import dev.petrel.mailauth.dmarc.DmarcResult;
import dev.petrel.mailauth.spf.SpfResult;
import dev.petrel.mailauth.spf.SpfVerifier;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Everything Petrel checks on a message from outside, in the order RFC 7489 needs: SPF for the
 * MAIL FROM identity (or postmaster@HELO for the null sender), every DKIM signature, then DMARC
 * over both, and the ARC chain (RFC 8617); and the {@code Authentication-Results} field that records them (RFC 8601), after
 * removing fields that claim our authserv-id (a forgery, section 5). What to do with a DMARC
 * failure is the caller's decision. Thread-safe.
 */
public final class InboundVerifier {
    /**
     * @param spf      the SPF result
     * @param dkim     one result per signature ({@link DkimResult#none()} when unsigned)
     * @param dmarc    the DMARC result
     * @param arc      the ARC chain's validation (none when the message has no ARC sets)
     * @param header   the Authentication-Results field to add on top of {@code message}
     * @param message  the message without forged Authentication-Results fields, and without {@code header}
     */
    public record Outcome(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc, ArcResult arc,
                          MailMessage.HeaderField header, MailMessage message) {
        public Outcome {
            dkim = List.copyOf(dkim);
        }

        /** The message as it should be stored: {@code header} on top of the cleaned message. */
        public MailMessage withHeader() {
            return message.prepend(List.of(header));
        }
    }

    private final String authservId;
    private final SpfVerifier spf;
    private final DkimVerifier dkim;
    private final DmarcEvaluator dmarc;
    private final ArcVerifier arc;

    /** @param authservId this server's name in Authentication-Results (usually its host name) */
    public InboundVerifier(Resolver dns, Clock clock, String authservId) {
        this(authservId, new SpfVerifier(dns, clock, SpfVerifier.DEFAULT_TIME_LIMIT, authservId),
                new DkimVerifier(dns, clock), new DmarcEvaluator(dns), new ArcVerifier(dns, clock));
    }

    public InboundVerifier(String authservId, SpfVerifier spf, DkimVerifier dkim, DmarcEvaluator dmarc, ArcVerifier arc) {
        this.arc = arc;
        this.authservId = Objects.requireNonNull(authservId, "authservId");
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
    }

    /**
     * @param client   the SMTP client's address
     * @param helo     its HELO/EHLO name
     * @param mailFrom the MAIL FROM address without brackets, or "" for the null sender
     * @param message  the message as received
     */
    public Outcome check(InetAddress client, String helo, String mailFrom, MailMessage message) {
        MailMessage cleaned = AuthenticationResults.withoutOurs(message, authservId);
        SpfResult spfResult = spf.checkMailFrom(client, mailFrom, helo);
        List<DkimResult> dkimResults = dkim.verify(cleaned);
        // The SPF-authenticated domain (RFC 7489 3.1.2): MAIL FROM's, or HELO's for the null sender.
        DmarcResult dmarcResult = dmarc.evaluate(cleaned, spfResult, spfResult.domain(), dkimResults);
        // Recorded for whoever reads the header; the caller may also let a trusted ARC sealer's
        // recorded dmarc=pass override a DMARC failure (RFC 8617 7.2, see TrustedForwarders).
        ArcResult arcResult = arc.verify(cleaned);
        MailMessage.HeaderField header = AuthenticationResults.builder(authservId)
                .spf(spfResult, mailFrom.isEmpty() ? null : mailFrom)
                .dkim(dkimResults)
                .dmarc(dmarcResult)
                .arc(arcResult)
                .build();
        return new Outcome(spfResult, dkimResults, dmarcResult, arcResult, header, cleaned);
    }
}
