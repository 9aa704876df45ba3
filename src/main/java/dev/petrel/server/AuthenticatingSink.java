package dev.petrel.server;

import dev.petrel.config.PetrelConfig.DmarcAction;
import dev.petrel.mailauth.InboundVerifier;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.OutboundSigner;
import dev.petrel.mailauth.TrustedForwarders;
import dev.petrel.mailauth.dmarc.DmarcPolicy;
import dev.petrel.mailauth.dkim.TagList;
import dev.petrel.mailauth.dmarc.DmarcResult;
import dev.petrel.message.Envelope;
import dev.petrel.policy.Verdict;
import dev.petrel.protocol.Reply;
import dev.petrel.protocol.SessionHandler.MessageSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Holds a message in memory until it is complete, then either verifies it (inbound: SPF, DKIM,
 * DMARC, an Authentication-Results field on top, DMARC's verdict applied) or DKIM-signs it
 * (outbound), and only then writes it to the spool. Both need the whole message before its first
 * byte can be written, because the new fields go on top. The memory held is bounded by the
 * session's message size limit. Not thread-safe: one per message.
 */
final class AuthenticatingSink implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger("petrel.mailauth");

    /**
     * What the server does about mail authentication.
     *
     * @param verifier   checks inbound mail, or null when [mail_auth] verify is off
     * @param forwarders the ARC sealers whose recorded dmarc=pass overrides a DMARC failure
     * @param signer     signs outbound mail, or null without [[dkim]] keys
     */
    record Setup(InboundVerifier verifier, DmarcAction dmarcAction, TrustedForwarders forwarders, OutboundSigner signer) {
        static final Setup OFF = new Setup(null, DmarcAction.NONE, TrustedForwarders.NONE, null);
    }

    /** What this sink does with the message: exactly one of the two is set. */
    record Work(InboundVerifier verifier, DmarcAction dmarcAction, TrustedForwarders forwarders, OutboundSigner signer) {
        static Work verify(InboundVerifier verifier, DmarcAction action, TrustedForwarders forwarders) {
            return new Work(verifier, action, forwarders, null);
        }

        static Work sign(OutboundSigner signer) {
            return new Work(null, null, TrustedForwarders.NONE, signer);
        }
    }

    private final IntakeSink target;
    private final Work work;
    private final Function<Verdict, Optional<Reply>> refuse;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    private List<MailMessage.HeaderField> prepend = List.of();
    private MailMessage message;

    /** @param refuse turns a refusing verdict into the reply (and remembers its rule for the log) */
    AuthenticatingSink(IntakeSink target, Work work, Function<Verdict, Optional<Reply>> refuse) {
        this.target = target;
        this.work = work;
        this.refuse = refuse;
    }

    @Override
    public String id() {
        return target.id();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.write(bytes, offset, length);
    }

    @Override
    public Optional<Reply> check() {
        message = MailMessage.parse(buffer.toByteArray());
        buffer.reset();
        if (work.signer() != null) {
            sign();
            return Optional.empty();
        }
        return verify();
    }

    private void sign() {
        try {
            prepend = work.signer().sign(message);
        } catch (RuntimeException e) {
            // Unsigned mail still goes out: a signing fault must not lose it (the log says why).
            log.error("{}: DKIM signing failed, sending unsigned: {}", id(), e.toString());
            return;
        }
        if (!prepend.isEmpty()) log.info("{}: signed: {}", id(), describe(prepend));
    }

    private Optional<Reply> verify() {
        Envelope env = target.envelope();
        InboundVerifier.Outcome outcome = work.verifier().check(env.client(), String.valueOf(env.helo()),
                env.sender() == null ? "" : env.sender().toString(), message);
        message = outcome.message();
        prepend = List.of(outcome.header());
        log.info("{}: authentication: spf={} dkim={} dmarc={}{}", id(), outcome.spf().kind().keyword(),
                outcome.dkim().stream().map(r -> r.kind().keyword()).collect(Collectors.joining(",")),
                outcome.dmarc().keyword(), outcome.dmarc().fromDomain() == null ? "" : " header.from=" + outcome.dmarc().fromDomain());
        if (!(outcome.dmarc() instanceof DmarcResult.Fail fail)) return Optional.empty();
        DmarcPolicy disposition = fail.policy().disposition();
        String domain = fail.policy().policyDomain();
        boolean reject = disposition == DmarcPolicy.REJECT && work.dmarcAction() == DmarcAction.POLICY;
        boolean quarantine = !reject && disposition != DmarcPolicy.NONE && work.dmarcAction() != DmarcAction.NONE;
        if (!reject && !quarantine) return Optional.empty();
        Optional<String> vouched = work.forwarders().vouchFor(outcome.arc(), outcome.message());
        if (vouched.isPresent()) {
            log.info("{}: DMARC policy of {} ({}) not applied: {} (RFC 8617 7.2); rule=dmarc-arc-override", id(), domain,
                    disposition.name().toLowerCase(java.util.Locale.ROOT), vouched.get());
            return Optional.empty();
        }
        if (reject) {
            return refuse.apply(new Verdict.Reject(550, "5.7.1", "Message rejected by the DMARC policy of " + domain
                    + " (neither SPF nor DKIM passed aligned with " + fail.fromDomain() + ")", "dmarc"));
        }
        if (quarantine) {
            try {
                target.quarantine("DMARC policy of " + domain + " (" + disposition.name().toLowerCase(java.util.Locale.ROOT)
                        + "); rule=dmarc");
            } catch (IOException e) {
                log.error("{}: could not mark the message quarantined: {}", id(), e.toString());
                return Optional.of(dev.petrel.protocol.Replies.SPOOL_ERROR);
            }
        }
        return Optional.empty();
    }

    @Override
    public void commit() throws IOException {
        if (message == null) throw new IllegalStateException("check() must run before commit()");
        for (MailMessage.HeaderField f : prepend) target.write(f.raw(), 0, f.raw().length);
        target.write(message.bytes(), 0, message.bytes().length);
        target.commit();
    }

    @Override
    public void abort() {
        buffer.reset();
        target.abort();
    }

    /** The signing fields for the log; ARC-Authentication-Results has no key to name. */
    private static String describe(List<MailMessage.HeaderField> fields) {
        return fields.stream().filter(f -> !f.is("ARC-Authentication-Results")).map(f -> {
            try {
                TagList tags = TagList.parse(f.value());
                return f.name() + " d=" + tags.get("d") + " s=" + tags.get("s") + " a=" + tags.get("a");
            } catch (TagList.SyntaxException e) {
                return f.name(); // we wrote it; cannot happen, and a log line is no reason to fail
            }
        }).collect(Collectors.joining(", "));
    }
}
