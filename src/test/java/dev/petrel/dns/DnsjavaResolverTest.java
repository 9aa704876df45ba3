package dev.petrel.dns;

import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** DnsjavaResolver over real UDP/TCP against {@link TestDnsServer} on loopback. */
class DnsjavaResolverTest {
    private TestDnsServer server;
    private MutableClock clock;
    private DnsjavaResolver resolver;

    @BeforeEach
    void start() throws IOException {
        server = TestDnsServer.start();
        clock = new MutableClock();
        resolver = new DnsjavaResolver(server.address(), Duration.ofMillis(500), 100, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersMxAddressesAndTxt() {
        server.addMx("example.com", 10, "MX1.example.com").addMx("example.com", 20, "mx2.example.com")
                .addA("mx1.example.com", "192.0.2.1", "192.0.2.2")
                .addAaaa("mx1.example.com", "2001:db8::1")
                .addTxt("example.com", "v=spf1 -all");

        assertThat(resolver.mx("example.com").recordsOrEmpty())
                .containsExactlyInAnyOrder(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"));
        assertThat(resolver.a("mx1.example.com.").recordsOrEmpty())
                .containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"));
        assertThat(resolver.aaaa("MX1.Example.Com").recordsOrEmpty()).containsExactly(ip("2001:db8::1"));
        assertThat(resolver.txt("example.com")).isEqualTo(new DnsResult.Found<>(java.util.List.of("v=spf1 -all")));
    }

    @Test
    void longTxtIsJoinedFromItsStringsAndKeepsSpecialCharacters() {
        String key = "v=DKIM1; k=rsa; n=\"a\\b\"; p=" + "A".repeat(600);
        server.addTxt("sel._domainkey.example.com", key);
        assertThat(resolver.txt("sel._domainkey.example.com").recordsOrEmpty()).containsExactly(key);
    }

    @Test
    void nullMxComesBackAsTheRoot() {
        server.addMx("nomail.example", 0, ".");
        assertThat(resolver.mx("nomail.example").recordsOrEmpty()).containsExactly(new MxRecord(0, "."));
        assertThat(new MxRecord(0, ".").isNullMx()).isTrue();
    }

    @Test
    void nxdomainNodataAndServfailAreDistinct() {
        server.addA("host.example.com", "192.0.2.1").servfail("broken.example.com");

        assertThat(resolver.mx("missing.example.com")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(resolver.mx("host.example.com")).isInstanceOf(DnsResult.NoData.class);
        assertThat(resolver.a("example.com")).as("empty non-terminal").isInstanceOf(DnsResult.NoData.class);
        assertThat(resolver.mx("broken.example.com"))
                .isInstanceOfSatisfying(DnsResult.TempFail.class, f -> assertThat(f.reason()).contains("SERVFAIL"));
    }

    @Test
    void aDroppedQueryIsATempFailWithinTheTimeout() {
        server.drop("slow.example.com");
        long start = System.nanoTime();
        DnsResult<MxRecord> result = resolver.mx("slow.example.com");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(DnsResult.TempFail.class);
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(server.count("slow.example.com", "MX")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void followsCnames() {
        server.addCname("www.example.com", "web.example.net").addA("web.example.net", "192.0.2.7");
        assertThat(resolver.a("www.example.com").recordsOrEmpty()).containsExactly(ip("192.0.2.7"));
        assertThat(resolver.aaaa("www.example.com")).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void aTruncatedAnswerIsRepeatedOverTcp() {
        String[] ips = IntStream.range(1, 151).mapToObj(i -> "10.0." + (i / 100) + "." + (i % 100)).toArray(String[]::new);
        server.addA("big.example.com", ips);

        assertThat(resolver.a("big.example.com").recordsOrEmpty()).hasSize(150);
        assertThat(server.queries()).anySatisfy(q -> assertThat(q.tcp()).isTrue());
    }

    @Test
    void cachesAnswersForTheirTtl() {
        server.ttl(60).addA("host.example.com", "192.0.2.1");
        resolver.a("host.example.com");
        resolver.a("host.example.com");
        assertThat(server.count("host.example.com", "A")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        resolver.a("host.example.com");
        assertThat(server.count("host.example.com", "A")).isEqualTo(2);
    }

    @Test
    void cachesNegativeAnswersForTheSoaMinimum() {
        server.negativeTtl(30).addA("host.example.com", "192.0.2.1");
        resolver.a("missing.example.com");
        resolver.aaaa("host.example.com");
        resolver.a("missing.example.com");
        resolver.aaaa("host.example.com");
        assertThat(server.count("missing.example.com", "A")).isEqualTo(1);
        assertThat(server.count("host.example.com", "AAAA")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        resolver.a("missing.example.com");
        assertThat(server.count("missing.example.com", "A")).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedAtMostFiveMinutes() {
        server.negativeTtl(86_400);
        resolver.a("missing.example.com");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        resolver.a("missing.example.com");
        assertThat(server.count("missing.example.com", "A")).isEqualTo(2);
    }

    @Test
    void failuresAreNotCached() {
        server.servfail("broken.example.com");
        assertThat(resolver.a("broken.example.com")).isInstanceOf(DnsResult.TempFail.class);
        server.heal("broken.example.com").addA("broken.example.com", "192.0.2.9");
        assertThat(resolver.a("broken.example.com").recordsOrEmpty()).containsExactly(ip("192.0.2.9"));
    }

    @Test
    void cacheSizeZeroAsksEveryTime() {
        DnsjavaResolver uncached = new DnsjavaResolver(server.address(), Duration.ofMillis(500), 0, clock);
        server.addA("host.example.com", "192.0.2.1");
        uncached.a("host.example.com");
        uncached.a("host.example.com");
        assertThat(server.count("host.example.com", "A")).isEqualTo(2);
    }

    @Test
    void anInvalidNameIsNxdomainWithoutAQuery() {
        assertThat(resolver.a("a..b")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(resolver.a("x".repeat(64) + ".example")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void unicodeNamesAreAskedAsALabels() {
        server.addA("xn--bcher-kva.example", "192.0.2.3");
        assertThat(resolver.a("bücher.example").recordsOrEmpty()).containsExactly(ip("192.0.2.3"));
    }

    static InetAddress ip(String literal) {
        return dev.petrel.message.IpLiteral.parse(literal);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
