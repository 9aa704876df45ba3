/**
 * DNS for Petrel: the one {@link dev.petrel.dns.Resolver} seam (MX, A, AAAA, TXT) returning a closed
 * {@link dev.petrel.dns.DnsResult}: records found, NXDOMAIN, NODATA, or a temporary failure with a reason.
 *
 * <p>Does: ask one recursive resolver (configured {@code host:port}, or the system's) through
 * dnsjava ({@link dev.petrel.dns.DnsjavaResolver}), with a timeout, TCP retry on truncation, CNAME
 * following and a bounded TTL cache of positive and negative answers;
 * answer from memory for tests ({@link dev.petrel.dns.MemoryResolver}).
 *
 * <p>Does not: recurse from the root, validate DNSSEC (no AD-bit handling yet, which DANE will need),
 * look up PTR or TLSA (to come), apply a search path (every name is absolute), or decide anything
 * about mail: MX ordering and fallback live in {@code delivery.MxResolver}.
 *
 * <p>Threading: resolvers are thread-safe and block the calling (virtual) thread for at most their
 * timeout. Failure modes: never throws for DNS or network trouble; that is
 * {@link dev.petrel.dns.DnsResult.TempFail}, never cached. A name that is not a valid DNS name is
 * NXDOMAIN. Imports nothing from Petrel but {@code message}.
 */
package dev.petrel.dns;
