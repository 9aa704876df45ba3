package dev.petrel.dns;

import java.net.InetAddress;

/**
 * The one way Petrel asks DNS anything. Names may be given with or without the trailing dot; they
 * are always treated as absolute (no search path). Implementations are thread-safe, never throw for
 * a DNS or network failure (that is {@link DnsResult.TempFail}) and block for at most their timeout.
 *
 * <p>{@link DnsjavaResolver} asks real servers; {@link MemoryResolver} answers from a map in tests.
 * TLSA lookups will be added here when DANE needs them.
 */
public interface Resolver {
    /** MX records of {@code domain}, in the order the server sent them (callers sort). */
    DnsResult<MxRecord> mx(String domain);

    /** IPv4 addresses of {@code host}. */
    DnsResult<InetAddress> a(String host);

    /** IPv6 addresses of {@code host}. */
    DnsResult<InetAddress> aaaa(String host);

    /** TXT records of {@code name}, each record's character-strings concatenated (as SPF and DKIM want). */
    DnsResult<String> txt(String name);

    /**
     * PTR records of {@code address} (asked at its in-addr.arpa or ip6.arpa name): host names in
     * lower case without the trailing dot. Used by SPF's {@code ptr} mechanism and {@code %{p}}.
     */
    DnsResult<String> ptr(InetAddress address);
}
