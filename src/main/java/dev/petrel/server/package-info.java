/**
 * Listeners and connections: sockets, TLS (STARTTLS and implicit), timeouts and connection
 * limits around the pure {@link dev.petrel.protocol.ServerSession}.
 *
 * <p>Does: accept connections (one virtual thread each), enforce limits on connections in total
 * and per client IP, refuse clients that talk before the greeting, apply RFC 5321 timeouts,
 * upgrade to TLS, slow down and lock out AUTH guessing per IP, connect sessions to policy and the
 * spool ({@link IntakeHandler}), and log one line per event with the session id or queue id.
 * Does not: parse SMTP (that is {@code protocol}), decide relay policy (that is {@code policy}) or
 * write spool files itself (that is {@code queue}).
 *
 * <p>Threading: each listener has one accept thread; each connection runs on its own virtual
 * thread and owns its session. Shared state (limits, AUTH failures) is in concurrent maps.
 */
package dev.petrel.server;
