package dev.petrel.mailauth.dmarc;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.message.AddressList;
import dev.petrel.message.MailAddress;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the RFC5322.From domain, the identifier DMARC protects (RFC 7489 section 6.6.1).
 *
 * <p>Section 6.6.1 lets receivers reject or skip messages whose From field does not name one
 * domain. We make every such message a {@link Invalid} outcome, which the evaluator reports as
 * {@code permerror}: no From field, several From fields (RFC 5322 allows one), no address in it
 * (an empty group), an address we cannot parse, a domain literal, or addresses in more than one
 * domain. Several addresses in the <em>same</em> domain are accepted, as section 6.6.1 allows.
 * Postfix with OpenDMARC rejects such mail; a {@code permerror} lets the caller do the same.
 */
public final class FromDomain {
    /** What the From field gave. */
    public sealed interface Outcome {}

    /** The one domain, normalized: lower case, A-labels, no trailing dot. */
    public record Found(String domain) implements Outcome {}

    /** Why no single From domain could be found. */
    public record Invalid(String problem) implements Outcome {}

    private FromDomain() {}

    /** The From domain of {@code message}. */
    public static Outcome of(MailMessage message) {
        List<MailMessage.HeaderField> from = message.headers("From");
        if (from.isEmpty()) return new Invalid("no From field");
        if (from.size() > 1) return new Invalid(from.size() + " From fields");
        List<MailAddress> mailboxes;
        try {
            mailboxes = AddressList.parse(from.get(0).value());
        } catch (IllegalArgumentException e) {
            return new Invalid("From field is not an address list: " + e.getMessage());
        }
        if (mailboxes.isEmpty()) return new Invalid("From field has no address");
        Set<String> domains = new LinkedHashSet<>();
        for (MailAddress mailbox : mailboxes) {
            String domain = DomainNames.normalize(mailbox.domain());
            if (domain == null) return new Invalid("From address domain is not a DNS domain name: " + mailbox.domain());
            domains.add(domain);
        }
        if (domains.size() > 1) return new Invalid("From field has addresses in " + domains.size() + " domains: " + String.join(", ", domains));
        return new Found(domains.iterator().next());
    }
}
