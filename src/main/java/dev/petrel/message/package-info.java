/**
 * Shared vocabulary of Petrel: mail addresses, envelopes, recipients with their DSN parameters,
 * queue ids and IP networks, all as immutable records; and {@link dev.petrel.message.AddressList},
 * the one strict reader of RFC 5322 address lists (From:, To:, ...) that DMARC and sender policy share.
 *
 * <p>Does: hold values and check their invariants. Does not: parse SMTP syntax (that is
 * {@code protocol}), touch the network or disk, or know about policy. Every other package may
 * import this one; this one imports nothing from Petrel.
 */
package dev.petrel.message;
