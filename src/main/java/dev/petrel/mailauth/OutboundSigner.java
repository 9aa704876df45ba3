package dev.petrel.mailauth;

import dev.petrel.mailauth.arc.ArcResult;
import dev.petrel.mailauth.arc.ArcSealer;
import dev.petrel.mailauth.arc.ArcVerifier;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dmarc.FromDomain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DKIM signing of outbound mail: a message is signed with every key of the domain of its
 * {@code From:} address (the domain DMARC aligns with), and not at all when there is no key for
 * it or no single From domain. Like OpenDKIM's SigningTable, without wildcards. Optionally also
 * ARC-seals mail we forward ({@link ArcSealing}). Thread-safe.
 */
public final class OutboundSigner {
    /**
     * ARC sealing of mail we forward (RFC 8617): a message from our users or networks that carries
     * an Authentication-Results field of ours came in from outside through us and is now going out
     * again (a mailing list, a forwarding rule), so we vouch for what we saw then.
     */
    public record ArcSealing(ArcSealer sealer, ArcVerifier verifier, String authservId) {}

    private final Map<String, DkimSigner> byDomain = new LinkedHashMap<>();
    private final ArcSealing arc;

    /** @param arc ARC sealing, or null for none */
    public OutboundSigner(List<DkimSigningKey> keys, Clock clock, ArcSealing arc) {
        Map<String, DkimSigner.Builder> builders = new LinkedHashMap<>();
        for (DkimSigningKey key : keys) builders.computeIfAbsent(key.domain(), d -> DkimSigner.builder(clock)).key(key);
        builders.forEach((domain, builder) -> byDomain.put(domain, builder.build()));
        this.arc = arc;
    }

    public OutboundSigner(List<DkimSigningKey> keys, Clock clock) {
        this(keys, clock, null);
    }

    public boolean hasKeys() {
        return !byDomain.isEmpty();
    }

    /**
     * The fields to put on top of {@code message}, in order: an ARC set when the message is one
     * we forward, then the DKIM-Signature fields; empty when there is nothing of ours to add.
     */
    public List<MailMessage.HeaderField> sign(MailMessage message) {
        List<MailMessage.HeaderField> dkim = signerFor(message).map(s -> s.sign(message)).orElse(List.of());
        if (arc == null) return dkim;
        Optional<MailMessage.HeaderField> ours = message.headers(AuthenticationResults.FIELD_NAME).stream()
                .filter(f -> arc.authservId().equalsIgnoreCase(AuthenticationResults.authservIdOf(f.value())))
                .findFirst();
        if (ours.isEmpty() || message.headers("From").isEmpty()) return dkim;
        // The chain as received; the new set signs the message with our DKIM signatures on it.
        ArcResult chain = arc.verifier().verify(message);
        List<MailMessage.HeaderField> seal = arc.sealer().seal(message.prepend(dkim), ours.get().value(), chain);
        List<MailMessage.HeaderField> out = new ArrayList<>(seal);
        out.addAll(dkim);
        return List.copyOf(out);
    }

    /** The signer for the message's From domain, if we hold a key for it. */
    public Optional<DkimSigner> signerFor(MailMessage message) {
        if (!(FromDomain.of(message) instanceof FromDomain.Found found)) return Optional.empty();
        return Optional.ofNullable(byDomain.get(found.domain()));
    }
}
