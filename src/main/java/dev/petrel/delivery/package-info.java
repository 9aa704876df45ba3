/**
 * Planned (issue "Relay"): the {@code Router} (recipient to transport) and the transports:
 * SMTP to MX hosts, local Maildir/LMTP, and capture. Nothing is implemented here yet: accepted
 * mail stays in the spool.
 */
package dev.petrel.delivery;
