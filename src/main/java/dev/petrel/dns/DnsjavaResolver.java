package dev.petrel.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@link Resolver} over dnsjava: one query per lookup to a recursive resolver, read by rcode and
 * answer section so that NXDOMAIN, NODATA and SERVFAIL stay distinct (dnsjava's {@code Lookup}
 * folds several of these together and uses a static cache and search path, so it is not used).
 *
 * <p>Queries go over UDP with EDNS0; dnsjava's {@link SimpleResolver} repeats a truncated answer
 * over TCP. CNAME chains in the answer are followed (the recursive resolver has already chased
 * them). Answers are cached per name and type for their TTL ({@link DnsCache}); NXDOMAIN and
 * NODATA for min(SOA TTL, SOA minimum, 5 minutes) (RFC 2308); failures are not cached.
 */
public final class DnsjavaResolver implements Resolver {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    /** More CNAME hops than this is a loop or abuse. */
    private static final int MAX_CNAME_HOPS = 8;

    private final org.xbill.DNS.Resolver resolver;
    private final String serverText;
    private final DnsCache cache;

    /** @param server the recursive resolver to ask, or null for the system's (from /etc/resolv.conf and the like) */
    public DnsjavaResolver(InetSocketAddress server) {
        this(server, DEFAULT_TIMEOUT, DEFAULT_CACHE_SIZE, Clock.systemUTC());
    }

    /**
     * @param server    the recursive resolver to ask, or null for the system's
     * @param timeout   the longest one lookup may take (including a TCP retry)
     * @param cacheSize the most name/type entries kept; 0 disables caching
     * @param clock     the time source for TTLs (tests move it forward)
     */
    public DnsjavaResolver(InetSocketAddress server, Duration timeout, int cacheSize, Clock clock) {
        if (server == null) {
            // ExtendedResolver() reads dnsjava's ResolverConfig (resolv.conf, Windows registry, ...)
            // and fails over between those servers.
            this.resolver = new ExtendedResolver();
            this.serverText = "the system resolvers";
        } else {
            this.resolver = new SimpleResolver(server);
            this.serverText = server.getAddress().getHostAddress() + ":" + server.getPort();
        }
        this.resolver.setTimeout(timeout);
        this.cache = new DnsCache(cacheSize, clock);
    }

    @Override
    public DnsResult<MxRecord> mx(String domain) {
        return lookup(domain, Type.MX, r -> {
            MXRecord mx = (MXRecord) r;
            return new MxRecord(mx.getPriority(), hostName(mx.getTarget()));
        });
    }

    @Override
    public DnsResult<InetAddress> a(String host) {
        return lookup(host, Type.A, r -> withoutName(((ARecord) r).getAddress()));
    }

    @Override
    public DnsResult<InetAddress> aaaa(String host) {
        return lookup(host, Type.AAAA, r -> withoutName(((AAAARecord) r).getAddress()));
    }

    @Override
    public DnsResult<String> txt(String name) {
        return lookup(name, Type.TXT, r -> {
            StringBuilder text = new StringBuilder();
            for (byte[] part : ((TXTRecord) r).getStringsAsByteArrays()) text.append(new String(part, StandardCharsets.UTF_8));
            return text.toString();
        });
    }

    @Override
    public DnsResult<String> ptr(InetAddress address) {
        return lookup(ReverseMap.fromAddress(address).toString(), Type.PTR, r -> hostName(((PTRRecord) r).getTarget()));
    }

    @Override
    public String toString() {
        return "DnsjavaResolver[" + serverText + "]";
    }

    private <T> DnsResult<T> lookup(String text, int type, Function<Record, T> value) {
        DnsResult<Record> raw = lookupRaw(text, type);
        return switch (raw) {
            case DnsResult.Found<Record> found -> new DnsResult.Found<>(found.records().stream().map(value).toList());
            case DnsResult.NxDomain<Record> nx -> new DnsResult.NxDomain<>();
            case DnsResult.NoData<Record> nodata -> new DnsResult.NoData<>();
            case DnsResult.TempFail<Record> fail -> new DnsResult.TempFail<>(fail.reason());
        };
    }

    private DnsResult<Record> lookupRaw(String text, int type) {
        Name name;
        try {
            name = absoluteName(text);
        } catch (TextParseException | IllegalArgumentException e) {
            // Not a valid DNS name (empty label, label over 63 octets, ...): no such domain can exist.
            return new DnsResult.NxDomain<>();
        }
        String key = Type.string(type) + " " + name.toString().toLowerCase(Locale.ROOT);
        DnsResult<Record> cached = cache.get(key);
        if (cached != null) return cached;

        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new DnsResult.TempFail<>(what(name, type) + " failed: " + why);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            DnsResult<Record> nx = new DnsResult.NxDomain<>();
            cache.put(key, nx, negativeTtl(response));
            return nx;
        }
        if (rcode != Rcode.NOERROR) {
            return new DnsResult.TempFail<>(what(name, type) + " failed: " + Rcode.string(rcode) + " from " + serverText);
        }
        // Follow the CNAME chain from the asked name to the records of the asked type.
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = name;
        long ttl = Long.MAX_VALUE;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            List<Record> found = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : answer) {
                if (!r.getName().equals(current)) continue;
                if (r.getType() == type) found.add(r);
                else if (r.getType() == Type.CNAME && type != Type.CNAME) alias = (CNAMERecord) r;
            }
            if (!found.isEmpty()) {
                for (Record r : found) ttl = Math.min(ttl, r.getTTL());
                DnsResult<Record> result = new DnsResult.Found<>(found);
                cache.put(key, result, ttl);
                return result;
            }
            if (alias == null) break;
            ttl = Math.min(ttl, alias.getTTL());
            current = alias.getTarget();
        }
        DnsResult<Record> nodata = new DnsResult.NoData<>();
        cache.put(key, nodata, negativeTtl(response));
        return nodata;
    }

    /** RFC 2308: min(SOA TTL, SOA minimum); no SOA in the authority section: do not cache. */
    private static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) return Math.min(soa.getTTL(), soa.getMinimum());
        }
        return 0;
    }

    /** "example.com" and "example.com." both mean the absolute name; U-labels become A-labels. */
    static Name absoluteName(String text) throws TextParseException {
        String ascii = text.chars().allMatch(c -> c < 0x80) ? text : IDN.toASCII(text, IDN.ALLOW_UNASSIGNED);
        if (ascii.isEmpty()) throw new TextParseException("empty name");
        return Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".");
    }

    /** Lower case, no trailing dot; the root stays ".". */
    private static String hostName(Name name) {
        return name.equals(Name.root) ? "." : name.toString(true).toLowerCase(Locale.ROOT);
    }

    /** dnsjava attaches the owner name; drop it so addresses compare and print as plain addresses. */
    private static InetAddress withoutName(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
        }
    }

    private static String what(Name name, int type) {
        return Type.string(type) + " lookup for " + name;
    }
}
