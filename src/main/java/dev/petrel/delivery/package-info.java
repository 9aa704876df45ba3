/**
 * Planned (issue "Relay"): the {@code Router} (recipient to transport) and the transports:
 * SMTP to MX hosts, local Maildir/LMTP, and capture. Nothing is implemented here yet: accepted
 * mail stays in the spool.
 *
 * <p>Implemented so far: {@link dev.petrel.delivery.MxResolver}, the DNS-backed
 * {@link dev.petrel.delivery.TargetResolver} (RFC 5321 5.1 MX order, implicit MX, null MX).
 */
package dev.petrel.delivery;
