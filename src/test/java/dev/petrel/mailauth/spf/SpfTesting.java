package dev.petrel.mailauth.spf;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.MemoryResolver;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import dev.petrel.message.IpLiteral;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** Shared helpers for the SPF tests: addresses, a verifier over MemoryResolver, a clock tests move. */
final class SpfTesting {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    static final String RECEIVER = "mx.receiver.example";

    private SpfTesting() {}

    static InetAddress ip(String literal) {
        return IpLiteral.parse(literal);
    }

    /** A verifier with a fixed clock, the default 20 s limit and {@code %{r}} = {@value #RECEIVER}. */
    static SpfVerifier verifier(Resolver dns) {
        return new SpfVerifier(dns, Clock.fixed(NOW, ZoneOffset.UTC), SpfVerifier.DEFAULT_TIME_LIMIT, RECEIVER);
    }

    static SpfResult mailFrom(MemoryResolver dns, String ip, String mailFrom) {
        return verifier(dns).checkMailFrom(ip(ip), mailFrom, "helo.example.org");
    }

    /**
     * The result of checking {@code user@domain} from {@code ip} when {@code domain} publishes
     * {@code record} (and only it: the record replaces any TXT records {@code dns} has there, so one
     * test can try several records for the same domain; the lookup still shows in {@code dns.queries()}).
     */
    static SpfResult withRecord(MemoryResolver dns, String domain, String record, String ip) {
        Resolver published = new TxtOverride(dns, domain, record);
        return verifier(published).checkMailFrom(ip(ip), "user@" + domain, "helo.example.org");
    }

    /** {@code inner}, except that TXT lookups of {@code name} answer {@code record}. */
    record TxtOverride(Resolver inner, String name, String record) implements Resolver {
        @Override
        public DnsResult<MxRecord> mx(String domain) {
            return inner.mx(domain);
        }

        @Override
        public DnsResult<InetAddress> a(String host) {
            return inner.a(host);
        }

        @Override
        public DnsResult<InetAddress> aaaa(String host) {
            return inner.aaaa(host);
        }

        @Override
        public DnsResult<String> txt(String asked) {
            DnsResult<String> real = inner.txt(asked);
            return asked.equalsIgnoreCase(name) ? new DnsResult.Found<>(java.util.List.of(record)) : real;
        }

        @Override
        public DnsResult<String> ptr(InetAddress address) {
            return inner.ptr(address);
        }
    }

    /** A clock that tests move by hand (or that {@link SlowResolver} moves per query). */
    static final class SteppingClock extends Clock {
        private Instant now = NOW;

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }
    }

    /** A resolver whose every query takes {@code perQuery} on {@code clock}, to test the time limit. */
    record SlowResolver(Resolver inner, SteppingClock clock, Duration perQuery) implements Resolver {
        private <T> DnsResult<T> slow(Supplier<DnsResult<T>> lookup) {
            clock.advance(perQuery);
            return lookup.get();
        }

        @Override
        public DnsResult<MxRecord> mx(String domain) {
            return slow(() -> inner.mx(domain));
        }

        @Override
        public DnsResult<InetAddress> a(String host) {
            return slow(() -> inner.a(host));
        }

        @Override
        public DnsResult<InetAddress> aaaa(String host) {
            return slow(() -> inner.aaaa(host));
        }

        @Override
        public DnsResult<String> txt(String name) {
            return slow(() -> inner.txt(name));
        }

        @Override
        public DnsResult<String> ptr(InetAddress address) {
            return slow(() -> inner.ptr(address));
        }
    }
}
