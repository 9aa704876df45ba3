/**
 * Mail authentication, written against the RFCs: SPF ({@code spf}, RFC 7208), DKIM signing and
 * verification ({@code dkim}, RFC 6376 and 8463), DMARC ({@code dmarc}, RFC 7489), ARC
 * ({@code arc}, RFC 8617) and the {@code Authentication-Results} header (RFC 8601).
 *
 * <p>{@link dev.petrel.mailauth.MailMessage} is the shared view of a message: header fields kept
 * byte for byte, and the body. {@link dev.petrel.mailauth.InboundVerifier} and
 * {@link dev.petrel.mailauth.OutboundSigner} are what the server calls;
 * {@link dev.petrel.mailauth.TrustedForwarders} answers whether a trusted ARC sealer vouches for a
 * message that failed DMARC. Depends only on {@code dns} and {@code message}; all DNS goes
 * through {@link dev.petrel.dns.Resolver}. Does not decide what happens to a message (that is the
 * server's and the configuration's job) and touches no sockets or files.
 */
package dev.petrel.mailauth;
