/**
 * DKIM signing and verification (RFC 6376, RFC 8463 Ed25519, RFC 8301 algorithm and key rules).
 *
 * <p>{@link dev.petrel.mailauth.dkim.DkimSigner} makes DKIM-Signature fields for outbound mail with
 * the domain's {@link dev.petrel.mailauth.dkim.DkimSigningKey}s (RSA, Ed25519 or both);
 * {@link dev.petrel.mailauth.dkim.DkimVerifier} checks every signature of an inbound message and
 * returns one {@link dev.petrel.mailauth.dkim.DkimResult} each, named as RFC 8601 names them (its
 * javadoc maps every problem to a result). The parts they share:
 * {@link dev.petrel.mailauth.dkim.TagList} (section 3.2),
 * {@link dev.petrel.mailauth.dkim.Canonicalization} (section 3.4),
 * {@link dev.petrel.mailauth.dkim.SignedData} (the header data a signature covers, also used by ARC),
 * {@link dev.petrel.mailauth.dkim.DkimSignature} and {@link dev.petrel.mailauth.dkim.DkimKeyRecord}
 * (the field and the key record), {@link dev.petrel.mailauth.dkim.DkimKeyCheck} (from a key lookup
 * to a usable key or a result), {@link dev.petrel.mailauth.dkim.FoldedField} (writing a folded
 * signature field), {@link dev.petrel.mailauth.dkim.DkimAlgorithm} (the JDK's RSA and Ed25519).
 * ARC ({@code dev.petrel.mailauth.arc}) builds on these. {@link dev.petrel.mailauth.dkim.DkimKeys} generates keys, reads and writes them as PEM
 * and formats the DNS record to publish.
 *
 * <p>Does not: decide what to do with a message that fails (DMARC and local policy do), write
 * Authentication-Results, sign with rsa-sha1 or {@code l=}, or cache keys across messages (the
 * resolver caches). All DNS goes through {@link dev.petrel.dns.Resolver}; nothing here opens
 * sockets. Only {@link dev.petrel.mailauth.dkim.DkimKeys} touches files, and only when asked to.
 * Everything is immutable or stateless and thread-safe.
 */
package dev.petrel.mailauth.dkim;
