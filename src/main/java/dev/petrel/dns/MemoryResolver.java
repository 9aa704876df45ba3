package dev.petrel.dns;

import dev.petrel.message.IpLiteral;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Resolver} answering from memory, for tests and for running without DNS. A name with no
 * record of any type is NXDOMAIN; a name with records of other types only is NODATA; a failure set
 * with {@link #tempfail} wins over records. Names are case-insensitive and the trailing dot is
 * optional. Builder methods return {@code this}; all methods are thread-safe.
 *
 * <pre>
 * var dns = new MemoryResolver()
 *         .mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1")
 *         .tempfail("broken.example", MemoryResolver.Type.MX, "SERVFAIL");
 * </pre>
 */
public final class MemoryResolver implements Resolver {
    public enum Type { MX, A, AAAA, TXT, PTR }

    private final Map<String, Map<Type, List<Object>>> records = new HashMap<>();
    private final Map<String, Map<Type, String>> failures = new HashMap<>();
    private final List<String> queries = new ArrayList<>();

    public synchronized MemoryResolver mx(String domain, int preference, String exchange) {
        return add(domain, Type.MX, new MxRecord(preference, exchange.equals(".") ? "." : key(exchange)));
    }

    /** IPv4 addresses of {@code host}, as literals ("192.0.2.1"). */
    public synchronized MemoryResolver a(String host, String... ips) {
        for (String ip : ips) {
            InetAddress address = IpLiteral.parse(ip);
            if (!(address instanceof Inet4Address)) throw new IllegalArgumentException(ip + " is not IPv4");
            add(host, Type.A, address);
        }
        return this;
    }

    /** IPv6 addresses of {@code host}, as literals ("2001:db8::1"). */
    public synchronized MemoryResolver aaaa(String host, String... ips) {
        for (String ip : ips) {
            InetAddress address = IpLiteral.parse(ip);
            if (!(address instanceof Inet6Address)) throw new IllegalArgumentException(ip + " is not IPv6");
            add(host, Type.AAAA, address);
        }
        return this;
    }

    public synchronized MemoryResolver txt(String name, String text) {
        return add(name, Type.TXT, text);
    }

    /** PTR records of the address {@code ip} (a literal), naming {@code hosts}. */
    public synchronized MemoryResolver ptr(String ip, String... hosts) {
        for (String host : hosts) add(reverseName(IpLiteral.parse(ip)), Type.PTR, key(host));
        return this;
    }

    /** Makes lookups of {@code type} at {@code name} fail temporarily (like SERVFAIL or a timeout). */
    public synchronized MemoryResolver tempfail(String name, Type type, String reason) {
        failures.computeIfAbsent(key(name), k -> new EnumMap<>(Type.class)).put(type, reason);
        return this;
    }

    /** Makes every lookup at {@code name} fail temporarily. */
    public synchronized MemoryResolver tempfail(String name, String reason) {
        for (Type type : Type.values()) tempfail(name, type, reason);
        return this;
    }

    /** Every lookup so far as "TYPE name", in order (to check caching and lookup order). */
    public synchronized List<String> queries() {
        return List.copyOf(queries);
    }

    @Override
    public DnsResult<MxRecord> mx(String domain) {
        return lookup(domain, Type.MX, MxRecord.class);
    }

    @Override
    public DnsResult<InetAddress> a(String host) {
        return lookup(host, Type.A, InetAddress.class);
    }

    @Override
    public DnsResult<InetAddress> aaaa(String host) {
        return lookup(host, Type.AAAA, InetAddress.class);
    }

    @Override
    public DnsResult<String> txt(String name) {
        return lookup(name, Type.TXT, String.class);
    }

    @Override
    public DnsResult<String> ptr(InetAddress address) {
        return lookup(reverseName(address), Type.PTR, String.class);
    }

    /** The in-addr.arpa or ip6.arpa name of {@code address}, as DNS asks it. */
    private static String reverseName(InetAddress address) {
        return org.xbill.DNS.ReverseMap.fromAddress(address).toString();
    }

    private synchronized <T> DnsResult<T> lookup(String name, Type type, Class<T> valueType) {
        String key = key(name);
        queries.add(type + " " + key);
        String failure = failures.getOrDefault(key, Map.of()).get(type);
        if (failure != null) return new DnsResult.TempFail<>(failure);
        Map<Type, List<Object>> byType = records.get(key);
        if (byType == null) return new DnsResult.NxDomain<>();
        List<Object> values = byType.get(type);
        if (values == null) return new DnsResult.NoData<>();
        return new DnsResult.Found<>(values.stream().map(valueType::cast).toList());
    }

    private MemoryResolver add(String name, Type type, Object value) {
        records.computeIfAbsent(key(name), k -> new EnumMap<>(Type.class))
                .computeIfAbsent(type, t -> new ArrayList<>()).add(value);
        return this;
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }
}
