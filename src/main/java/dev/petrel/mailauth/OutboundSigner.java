package dev.petrel.mailauth;

import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dmarc.FromDomain;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DKIM signing of outbound mail: a message is signed with every key of the domain of its
 * {@code From:} address (the domain DMARC aligns with), and not at all when there is no key for
 * it or no single From domain. Like OpenDKIM's SigningTable, without wildcards. Thread-safe.
 */
public final class OutboundSigner {
    private final Map<String, DkimSigner> byDomain = new LinkedHashMap<>();

    public OutboundSigner(List<DkimSigningKey> keys, Clock clock) {
        Map<String, DkimSigner.Builder> builders = new LinkedHashMap<>();
        for (DkimSigningKey key : keys) builders.computeIfAbsent(key.domain(), d -> DkimSigner.builder(clock)).key(key);
        builders.forEach((domain, builder) -> byDomain.put(domain, builder.build()));
    }

    public boolean hasKeys() {
        return !byDomain.isEmpty();
    }

    /** The DKIM-Signature fields to put on top of {@code message}, or empty when it is not ours to sign. */
    public List<MailMessage.HeaderField> sign(MailMessage message) {
        return signerFor(message).map(s -> s.sign(message)).orElse(List.of());
    }

    /** The signer for the message's From domain, if we hold a key for it. */
    public Optional<DkimSigner> signerFor(MailMessage message) {
        if (!(FromDomain.of(message) instanceof FromDomain.Found found)) return Optional.empty();
        return Optional.ofNullable(byDomain.get(found.domain()));
    }
}
