/**
 * ARC, the Authenticated Received Chain (RFC 8617): {@link dev.petrel.mailauth.arc.ArcVerifier}
 * validates the chain of ARC sets on an inbound message (none, pass or fail, and the oldest-pass
 * instance); {@link dev.petrel.mailauth.arc.ArcSealer} adds this hop's set (results, message
 * signature, seal) to a message Petrel forwards.
 *
 * <p>Built on {@code dkim}: the same canonicalization, key records, key checks (RFC 8301 limits
 * included), algorithms (rsa-sha256, ed25519-sha256) and field folding; the ARC-Message-Signature is
 * verified by {@link dev.petrel.mailauth.dkim.DkimVerifier} itself.
 *
 * <p>Does not: decide whether to trust a sealer (local policy, e.g. DMARC overrides for known
 * forwarders), produce the Authentication-Results text that goes into the set, or touch sockets or
 * files. DNS goes through {@link dev.petrel.dns.Resolver}. Thread-safe.
 */
package dev.petrel.mailauth.arc;
