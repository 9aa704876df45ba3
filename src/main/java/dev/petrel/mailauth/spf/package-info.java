/**
 * SPF, the Sender Policy Framework (RFC 7208): may this client address send mail for this domain?
 *
 * <p>Does: look up and select the domain's SPF record (section 4), parse it by the section 12
 * grammar ({@link dev.petrel.mailauth.spf.SpfRecordParser}), expand macros (section 7,
 * {@link dev.petrel.mailauth.spf.MacroString}) and evaluate check_host() with every mechanism and
 * modifier, the DNS-term, void-lookup, MX and PTR limits of section 4.6.4 and an overall time limit
 * ({@link dev.petrel.mailauth.spf.SpfVerifier}, the entry point, for the MAIL FROM and HELO
 * identities). The outcome is an {@link dev.petrel.mailauth.spf.SpfResult}, with the explanation
 * of a {@code fail} and the problem behind a {@code temperror} or {@code permerror}.
 *
 * <p>Does not: decide what to do with a result (reject, mark, feed DMARC: the server's and the
 * policy's job), write {@code Received-SPF} or {@code Authentication-Results} fields, cache
 * anything beyond one check (the {@link dev.petrel.dns.Resolver} caches DNS), or look up the
 * obsolete SPF RR type 99 (section 3.1: TXT only).
 *
 * <p>Threading: a verifier is immutable and thread-safe; each check has its own state and blocks
 * its thread for its DNS queries. Failure modes: nothing is thrown for DNS or record trouble.
 * Depends only on {@code dns} (and the JDK).
 */
package dev.petrel.mailauth.spf;
