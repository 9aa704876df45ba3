/**
 * Server-side SASL for SMTP AUTH (RFC 4954): PLAIN, LOGIN and SCRAM-SHA-256.
 *
 * <p>Does: parse each mechanism's client messages, build its challenges, and ask a
 * {@link dev.petrel.protocol.sasl.CredentialStore} whether the credentials are right. Does not:
 * base64-encode or decode lines, handle "*" cancel, count failures or decide where a mechanism is
 * offered (all the session's job); store users ({@code dev.petrel.auth}); do I/O or log.
 *
 * <p>Mechanisms are stateless and thread-safe; one {@link dev.petrel.protocol.sasl.SaslExchange}
 * belongs to one session and one thread. Bad client input never throws: it ends the exchange
 * with {@code Failure(MALFORMED)}.
 */
package dev.petrel.protocol.sasl;
