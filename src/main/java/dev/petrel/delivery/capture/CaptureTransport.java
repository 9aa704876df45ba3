package dev.petrel.delivery.capture;

import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Transport;
import dev.petrel.inbox.AuthenticationFacts;
import dev.petrel.inbox.CapturedMessage;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.SessionFacts;
import dev.petrel.mailauth.AuthenticationResults;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dkim.DkimVerifier;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.Recipient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

/**
 * Capture mode's transport: instead of sending, each message is stored in the test inbox, one copy
 * per inbox its recipients map to ({@link InboxRules}), with the envelope and session and what
 * mail authentication found: our own Authentication-Results field when the message came from
 * outside, and, when we sign mail, the DKIM signatures on it verified through DNS as a receiver
 * would (so a test in staging sees whether what Petrel would send passes). A recipient counts as delivered
 * once its copy is durable in the inbox; a store failure is a temporary failure, retried.
 */
public final class CaptureTransport implements Transport {
    private static final String RELAY = "capture";

    private final InboxStore store;
    private final InboxRules rules;
    private final DkimVerifier signatures;
    private final String authservId;

    /**
     * @param signatures verifies the DKIM signatures of captured mail, or null to skip that check
     * @param authservId our Authentication-Results name, to pick our field out of others'
     */
    public CaptureTransport(InboxStore store, InboxRules rules, DkimVerifier signatures, String authservId) {
        this.store = store;
        this.rules = rules;
        this.signatures = signatures;
        this.authservId = authservId;
    }

    @Override
    public List<DeliveryStatus> deliver(Delivery delivery, Route route) {
        MailMessage message = MailMessage.parse(delivery.content());
        Envelope envelope = delivery.envelope();
        AuthenticationFacts auth = authentication(message);
        Map<String, List<Recipient>> byInbox = new LinkedHashMap<>();
        for (Recipient r : delivery.recipients()) {
            byInbox.computeIfAbsent(rules.inboxFor(envelope, message, r.address()), k -> new ArrayList<>()).add(r);
        }
        // Every inbox's copy is queued before any is awaited, so they share one group commit
        // instead of waiting for one fsync each.
        Map<String, CompletableFuture<MessageSummary>> pending = new LinkedHashMap<>();
        for (Map.Entry<String, List<Recipient>> e : byInbox.entrySet()) {
            List<String> rcpts = e.getValue().stream().map(r -> r.address().toString()).toList();
            Envelope.TlsInfo tls = envelope.tls();
            SessionFacts facts = new SessionFacts(envelope.senderText(), rcpts, envelope.authIdentity(),
                    envelope.client().getHostAddress(), envelope.helo(), tls == null ? null : tls.protocol(),
                    tls == null ? null : tls.cipherSuite(), envelope.listener(), envelope.receivedAt(), auth);
            try {
                pending.put(e.getKey(), store.storeAsync(new CapturedMessage(e.getKey(), delivery.content(), facts)));
            } catch (RuntimeException ex) {
                pending.put(e.getKey(), CompletableFuture.failedFuture(ex));
            }
        }
        Map<Recipient, DeliveryStatus> statuses = new LinkedHashMap<>();
        for (Map.Entry<String, List<Recipient>> e : byInbox.entrySet()) {
            try {
                MessageSummary stored = pending.get(e.getKey()).join();
                for (Recipient r : e.getValue()) {
                    statuses.put(r, new DeliveryStatus(r.address(), DeliveryStatus.Outcome.DELIVERED, "2.0.0",
                            "captured as " + stored.id() + " in inbox " + e.getKey(), RELAY, false));
                }
            } catch (RuntimeException ex) {
                Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                for (Recipient r : e.getValue()) {
                    statuses.put(r, DeliveryStatus.temporary(r.address(), "4.3.0", "capture inbox failed: " + cause.getMessage(), RELAY));
                }
            }
        }
        return delivery.recipients().stream().map(statuses::get).toList();
    }

    private AuthenticationFacts authentication(MailMessage message) {
        String results = message.headers(AuthenticationResults.FIELD_NAME).stream()
                .filter(f -> authservId.equalsIgnoreCase(AuthenticationResults.authservIdOf(f.value())))
                .map(MailMessage.HeaderField::value).findFirst().orElse(null);
        List<String> dkim = List.of();
        // Inbound mail was judged at DATA and carries our field: its dkim= results are the facts, so
        // the signatures are not verified (and their keys not looked up) a second time. Only mail
        // without our field (ours, signed on the way out) is verified here.
        boolean verify = results == null && signatures != null;
        if (verify && !message.headers("DKIM-Signature").isEmpty()) {
            dkim = signatures.verify(message).stream().map(CaptureTransport::describe).toList();
        }
        String spf = null;
        String dmarc = null;
        if (results != null) {
            List<AuthenticationResults.Result> recorded;
            try {
                recorded = AuthenticationResults.parse(results).results();
            } catch (IllegalArgumentException e) {
                recorded = List.of(); // a malformed field naming us was not written by us: keep it as text only
            }
            for (AuthenticationResults.Result r : recorded) {
                if (r.method().equals("spf") && spf == null) spf = r.result();
                if (r.method().equals("dmarc") && dmarc == null) dmarc = r.result();
                if (r.method().equals("dkim")) dkim = append(dkim, r.result() + " (d=" + r.property("header", "d") + ")");
            }
        }
        return new AuthenticationFacts(results, dkim, spf, dmarc);
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static String describe(DkimResult r) {
        String text = r.kind().keyword() + " (d=" + r.domain() + " s=" + r.selector() + ")";
        return r.reason() == null ? text : text + " " + r.reason();
    }
}
