/**
 * Pure SMTP: command parsing, address syntax (RFC 5321, RFC 6531), ESMTP parameters, DATA and
 * BDAT framing, reply texts with enhanced status codes (RFC 3463), and the server session state
 * machine. For the client side (outbound delivery): {@link ReplyParser} and {@link ClientReply}
 * for server replies, {@link EhloCapabilities} for EHLO keywords, {@link DotStuffer} for DATA
 * framing.
 *
 * <p>Does: turn the bytes a client sends into replies and actions ({@link ServerSession}), decide
 * what is syntactically valid and in which order commands may come. All reply text lives in
 * {@link Replies}. Does not: open sockets, start threads, read the clock (it is passed in), touch
 * DNS or disk, or make policy decisions. Policy, spooling and AUTH throttling reach the session
 * through the {@link SessionHandler} seam; SASL mechanisms through {@code protocol.sasl}.
 *
 * <p>Threading: a session belongs to one connection and is not thread-safe. Failure modes: bad
 * input never throws; it yields an error reply. Exceptions from the handler other than
 * {@link java.io.IOException} are bugs and propagate.
 */
package dev.petrel.protocol;
