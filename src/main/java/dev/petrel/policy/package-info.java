/**
 * Envelope policy: who may send what to whom through this server. Each check returns a closed
 * {@link Verdict}.
 *
 * <p>Does (so far): relay control: mail for local domains is accepted from anyone; mail for other
 * domains only from trusted networks or authenticated clients, and addresses that try to route
 * mail through us ({@code user%host@local}, bang paths, quoted {@code @}) are refused unless the
 * client may relay anyway. Local recipients ({@link dev.petrel.policy.LocalRecipients}): a local
 * part of a local domain that is no user, alias, {@code user+tag} of one, or catch-all gets
 * {@code 550 5.1.1} at RCPT from every client, trusted and authenticated ones too. Does not: speak SMTP (the session turns verdicts into replies),
 * touch the spool, or query DNS. Sender identity, rate limits and DNSBL checks belong here too
 * and come with the policy issue.
 */
package dev.petrel.policy;
