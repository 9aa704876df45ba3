/**
 * Envelope policy: who may send what to whom through this server. Each check returns a closed
 * {@link Verdict}.
 *
 * <p>Does (so far): relay control: mail for local domains is accepted from anyone; mail for other
 * domains only from trusted networks or authenticated clients, and addresses that try to route
 * mail through us ({@code user%host@local}, bang paths, quoted {@code @}) are refused unless the
 * client may relay anyway. Does not: speak SMTP (the session turns verdicts into replies),
 * touch the spool, or query DNS. Sender identity, rate limits and DNSBL checks belong here too
 * and come with the policy issue.
 */
package dev.petrel.policy;
