package dev.petrel.policy;

import dev.petrel.config.PetrelConfig.Dnsbl;
import dev.petrel.config.PetrelConfig.DnsblStage;
import dev.petrel.dns.MemoryResolver;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.IpNetwork;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DNSBL lookups against an in-memory resolver: names, listing rules, failures, caching. */
class DnsblCheckerTest {
    private static final String REPLY = "Service unavailable; client [$ip] blocked using $zone";
    private final MemoryResolver dns = new MemoryResolver();

    private DnsblChecker checker(List<IpNetwork> trusted, Dnsbl... lists) {
        return new DnsblChecker(List.of(lists), trusted, dns, Duration.ofSeconds(2), Clock.systemUTC());
    }

    private static Dnsbl rcpt(String zone, String... codes) {
        return new Dnsbl(zone, DnsblStage.RCPT, REPLY, List.of(codes));
    }

    private static Verdict check(DnsblChecker c, String ip) {
        return c.check("test", IpLiteral.parse(ip), DnsblStage.RCPT);
    }

    @Test
    void queryNamesFollowRfc5782() {
        assertThat(DnsblChecker.queryName(IpLiteral.parse("192.0.2.99"), "bl.test")).isEqualTo("99.2.0.192.bl.test");
        assertThat(DnsblChecker.queryName(IpLiteral.parse("2001:db8:1:2:3:4:567:89ab"), "bl.test"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test");
    }

    @Test
    void listedClientGetsTheListsReply() {
        dns.a("2.0.0.127.bl.test", "127.0.0.2");
        assertThat(check(checker(List.of(), rcpt("bl.test")), "127.0.0.2")).isEqualTo(new Verdict.Reject(554, "5.7.1",
                "Service unavailable; client [127.0.0.2] blocked using bl.test", "dnsbl:bl.test"));
    }

    @Test
    void notListedOnNxdomainOrNodata() {
        dns.txt("3.0.0.127.bl.test", "only text");
        DnsblChecker c = checker(List.of(), rcpt("bl.test"));
        assertThat(check(c, "127.0.0.9")).isEqualTo(Verdict.ACCEPT);
        assertThat(check(c, "127.0.0.3")).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void codesFilterTheAnswers() {
        dns.a("2.2.0.192.bl.test", "127.0.0.10").a("3.2.0.192.bl.test", "127.0.0.4");
        DnsblChecker c = checker(List.of(), rcpt("bl.test", "127.0.0.2", "127.0.0.4"));
        assertThat(check(c, "192.0.2.2")).isEqualTo(Verdict.ACCEPT);
        assertThat(check(c, "192.0.2.3")).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void withoutCodesOnly127AnswersCountAndNotTheRefusalRange() {
        dns.a("2.2.0.192.bl.test", "192.0.2.1")          // not an RFC 5782 answer
                .a("3.2.0.192.bl.test", "127.255.255.254") // "query refused" from the list operator
                .a("4.2.0.192.bl.test", "127.0.0.11");
        DnsblChecker c = checker(List.of(), rcpt("bl.test"));
        assertThat(check(c, "192.0.2.2")).isEqualTo(Verdict.ACCEPT);
        assertThat(check(c, "192.0.2.3")).isEqualTo(Verdict.ACCEPT);
        assertThat(check(c, "192.0.2.4")).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void dnsFailureIsNotListed() {
        dns.tempfail("2.2.0.192.bl.test", "SERVFAIL").a("2.2.0.192.other.test", "127.0.0.2");
        assertThat(check(checker(List.of(), rcpt("bl.test")), "192.0.2.2")).isEqualTo(Verdict.ACCEPT);
        // A failing list does not hide a listing by another one.
        Verdict v = check(checker(List.of(), rcpt("bl.test"), rcpt("other.test")), "192.0.2.2");
        assertThat(v).isInstanceOfSatisfying(Verdict.Reject.class, r -> assertThat(r.rule()).isEqualTo("dnsbl:other.test"));
    }

    @Test
    void ipv6ClientsAreLookedUpByNibbles() {
        dns.a("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test", "127.0.0.2");
        assertThat(check(checker(List.of(), rcpt("bl.test")), "2001:db8::1")).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.text()).isEqualTo("Service unavailable; client [2001:db8:0:0:0:0:0:1] blocked using bl.test"));
    }

    @Test
    void trustedClientsAndOtherStagesAreNotLookedUp() {
        dns.a("2.2.0.192.bl.test", "127.0.0.2");
        DnsblChecker c = checker(List.of(IpNetwork.parse("192.0.2.0/24")), rcpt("bl.test"));
        assertThat(check(c, "192.0.2.2")).isEqualTo(Verdict.ACCEPT);
        assertThat(c.check("test", IpLiteral.parse("198.51.100.1"), DnsblStage.CONNECT)).isEqualTo(Verdict.ACCEPT);
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void resultsAreCachedPerIp() {
        dns.a("2.2.0.192.bl.test", "127.0.0.2");
        DnsblChecker c = checker(List.of(), rcpt("bl.test"), rcpt("two.test"));
        for (int i = 0; i < 3; i++) {
            assertThat(check(c, "192.0.2.2")).isInstanceOf(Verdict.Reject.class);
            assertThat(check(c, "192.0.2.3")).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(dns.queries()).containsExactlyInAnyOrder("A 2.2.0.192.bl.test", "A 2.2.0.192.two.test",
                "A 3.2.0.192.bl.test", "A 3.2.0.192.two.test");
    }
}
