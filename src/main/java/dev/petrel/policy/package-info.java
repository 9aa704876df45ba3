/**
 * Envelope policy: who may send what to whom through this server. Each check returns a closed
 * {@link dev.petrel.policy.Verdict}; the SMTP layer turns verdicts into replies and logs the rule.
 *
 * <p>Does: relay control ({@link dev.petrel.policy.RelayPolicy}: local domains from anyone, other
 * domains only from trusted networks or authenticated clients, sender-specified routing refused);
 * local recipients ({@link dev.petrel.policy.LocalRecipients}: unknown users get 550 5.1.1 at RCPT);
 * rate limits ({@link dev.petrel.policy.RatePolicy} over token buckets, and the per-user AUTH
 * lockout); DNS block lists ({@link dev.petrel.policy.DnsblChecker}, through the {@code dns} seam,
 * where a DNS failure never blocks mail); sender identity of authenticated users.
 *
 * <p>Does not: speak SMTP, touch the spool, or keep state beyond bounded in-memory counters
 * (rate buckets and failure windows are lost on restart, like Postfix's anvil).
 */
package dev.petrel.policy;
