package dev.petrel.delivery;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.message.IpLiteral;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5321 5.1 / RFC 7505 target selection over the in-memory resolver. */
class MxResolverTest {
    private final MemoryResolver dns = new MemoryResolver();

    @Test
    void ordersByPreferenceThenAddressesOfEachHost() {
        dns.mx("example.com", 20, "mx2.example.com").mx("example.com", 10, "mx1.example.com")
                .a("mx1.example.com", "192.0.2.1", "192.0.2.2").a("mx2.example.com", "192.0.2.3");

        assertThat(targets(new MxResolver(dns, false).resolve("example.com", 25, true)))
                .containsExactly("mx1.example.com[192.0.2.1]:25", "mx1.example.com[192.0.2.2]:25",
                        "mx2.example.com[192.0.2.3]:25");
    }

    @Test
    void equalPreferencesAreShuffledAndASeededRandomIsDeterministic() {
        dns.mx("example.com", 10, "a.example.com").mx("example.com", 10, "b.example.com")
                .mx("example.com", 5, "first.example.com")
                .a("a.example.com", "192.0.2.1").a("b.example.com", "192.0.2.2").a("first.example.com", "192.0.2.9");

        Set<List<String>> orders = new HashSet<>();
        MxResolver shuffling = new MxResolver(dns, false, new Random(1));
        for (int i = 0; i < 100; i++) {
            List<String> hosts = hosts(shuffling.resolve("example.com", 25, true));
            assertThat(hosts.get(0)).isEqualTo("first.example.com");
            orders.add(hosts);
        }
        assertThat(orders).containsExactlyInAnyOrder(
                List.of("first.example.com", "a.example.com", "b.example.com"),
                List.of("first.example.com", "b.example.com", "a.example.com"));

        Resolution once = new MxResolver(dns, false, new Random(42)).resolve("example.com", 25, true);
        Resolution again = new MxResolver(dns, false, new Random(42)).resolve("example.com", 25, true);
        assertThat(again).isEqualTo(once);
    }

    @Test
    void noMxMeansTheDomainItself() {
        dns.a("example.com", "192.0.2.5").aaaa("example.com", "2001:db8::5");
        assertThat(targets(new MxResolver(dns, true).resolve("example.com", 25, true)))
                .containsExactly("example.com[192.0.2.5]:25", "example.com[2001:db8:0:0:0:0:0:5]:25");
    }

    @Test
    void nullMxIsPermanent5110() {
        dns.mx("nomail.example", 0, ".");
        assertThat(new MxResolver(dns, false).resolve("nomail.example", 25, true))
                .isEqualTo(new Resolution.Permanent("5.1.10", "domain nomail.example does not accept mail (null MX)"));
    }

    @Test
    void nxdomainIsPermanent512() {
        assertThat(new MxResolver(dns, false).resolve("missing.example", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> {
                    assertThat(p.dsn()).isEqualTo("5.1.2");
                    assertThat(p.reason()).contains("missing.example", "NXDOMAIN");
                });
    }

    @Test
    void noMxAndNoAddressIsPermanent512() {
        dns.txt("textonly.example", "hello");
        assertThat(new MxResolver(dns, true).resolve("textonly.example", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> assertThat(p.dsn()).isEqualTo("5.1.2"));
    }

    @Test
    void mxHostsWithoutAddressesArePermanent544() {
        dns.mx("example.com", 10, "gone.example.com").mx("example.com", 20, "192.0.2.1");
        assertThat(new MxResolver(dns, false).resolve("example.com", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> assertThat(p.dsn()).isEqualTo("5.4.4"));
    }

    @Test
    void mxTempfailIsTemporary443() {
        dns.tempfail("example.com", MemoryResolver.Type.MX, "SERVFAIL from 192.0.2.53:53");
        assertThat(new MxResolver(dns, false).resolve("example.com", 25, true))
                .isEqualTo(new Resolution.Temporary("4.4.3", "SERVFAIL from 192.0.2.53:53"));
    }

    @Test
    void aHostThatFailsTemporarilyIsSkippedWhenAnotherWorks() {
        dns.mx("example.com", 10, "broken.example.com").mx("example.com", 20, "mx2.example.com")
                .tempfail("broken.example.com", "timeout").a("mx2.example.com", "192.0.2.2");
        assertThat(targets(new MxResolver(dns, false).resolve("example.com", 25, true)))
                .containsExactly("mx2.example.com[192.0.2.2]:25");
    }

    @Test
    void aTempfailWithNoOtherTargetIsTemporary() {
        dns.mx("example.com", 10, "broken.example.com").mx("example.com", 20, "gone.example.com")
                .tempfail("broken.example.com", "timeout");
        assertThat(new MxResolver(dns, false).resolve("example.com", 25, true))
                .isEqualTo(new Resolution.Temporary("4.4.3", "timeout"));
    }

    @Test
    void ipv6AddressesOnlyWhenEnabledAfterEachHostsIpv4() {
        dns.mx("example.com", 10, "mx1.example.com").mx("example.com", 20, "mx2.example.com")
                .a("mx1.example.com", "192.0.2.1").aaaa("mx1.example.com", "2001:db8::1")
                .aaaa("mx2.example.com", "2001:db8::2");

        assertThat(targets(new MxResolver(dns, false).resolve("example.com", 25, true)))
                .containsExactly("mx1.example.com[192.0.2.1]:25");
        assertThat(dns.queries()).noneMatch(q -> q.startsWith("AAAA"));
        assertThat(targets(new MxResolver(dns, true).resolve("example.com", 25, true)))
                .containsExactly("mx1.example.com[192.0.2.1]:25", "mx1.example.com[2001:db8:0:0:0:0:0:1]:25",
                        "mx2.example.com[2001:db8:0:0:0:0:0:2]:25");
    }

    @Test
    void anIpv6OnlyHostIsUnusableWithoutIpv6() {
        dns.mx("example.com", 10, "mx.example.com").aaaa("mx.example.com", "2001:db8::1");
        assertThat(new MxResolver(dns, false).resolve("example.com", 25, true))
                .isInstanceOfSatisfying(Resolution.Permanent.class, p -> assertThat(p.dsn()).isEqualTo("5.4.4"));
    }

    @Test
    void duplicateAddressesKeepTheirFirstPlace() {
        dns.mx("example.com", 10, "mx1.example.com").mx("example.com", 20, "mx2.example.com")
                .mx("example.com", 30, "mx1.example.com")
                .a("mx1.example.com", "192.0.2.1").a("mx2.example.com", "192.0.2.1", "192.0.2.2");
        assertThat(targets(new MxResolver(dns, false).resolve("example.com", 25, true)))
                .containsExactly("mx1.example.com[192.0.2.1]:25", "mx2.example.com[192.0.2.2]:25");
    }

    @Test
    void capsHostsAndTargets() {
        for (int i = 0; i < 15; i++) {
            dns.mx("hosts.example", i, "mx" + i + ".hosts.example").a("mx" + i + ".hosts.example", "10.0." + i + ".1");
            dns.mx("addresses.example", i, "mx" + i + ".addresses.example")
                    .a("mx" + i + ".addresses.example", "10.1." + i + ".1", "10.1." + i + ".2", "10.1." + i + ".3");
        }
        MxResolver resolver = new MxResolver(dns, false);
        assertThat(hosts(resolver.resolve("hosts.example", 25, true))).hasSize(MxResolver.MAX_MX_HOSTS)
                .startsWith("mx0.hosts.example").endsWith("mx9.hosts.example");
        assertThat(targets(resolver.resolve("addresses.example", 25, true))).hasSize(MxResolver.MAX_TARGETS)
                .endsWith("mx6.addresses.example[10.1.6.2]:25");
    }

    @Test
    void aLoneDotAmongOtherMxIsIgnored() {
        dns.mx("example.com", 0, ".").mx("example.com", 10, "mx.example.com").a("mx.example.com", "192.0.2.1");
        assertThat(targets(new MxResolver(dns, false).resolve("example.com", 25, true)))
                .containsExactly("mx.example.com[192.0.2.1]:25");
    }

    @Test
    void relayIpLiteralsNeedNoDns() {
        MxResolver resolver = new MxResolver(dns, false);
        assertThat(targets(resolver.resolve("127.0.0.1", 2525, false))).containsExactly("127.0.0.1[127.0.0.1]:2525");
        assertThat(targets(resolver.resolve("[127.0.0.1]", 2525, false))).containsExactly("127.0.0.1[127.0.0.1]:2525");
        assertThat(targets(resolver.resolve("::1", 587, false))).containsExactly("0:0:0:0:0:0:0:1[0:0:0:0:0:0:0:1]:587");
        assertThat(targets(resolver.resolve("[IPv6:::1]", 25, true))).containsExactly("0:0:0:0:0:0:0:1[0:0:0:0:0:0:0:1]:25");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void relayNameUsesItsAddressesNotItsMx() {
        dns.mx("relay.example", 10, "elsewhere.example").a("relay.example", "192.0.2.25");
        assertThat(targets(new MxResolver(dns, false).resolve("relay.example", 587, false)))
                .containsExactly("relay.example[192.0.2.25]:587");
        assertThat(dns.queries()).noneMatch(q -> q.startsWith("MX"));
    }

    @Test
    void aRelayWithoutAddressIsTemporarySoMailWaitsForTheFix() {
        assertThat(new MxResolver(dns, false).resolve("typo.example", 25, false))
                .isInstanceOfSatisfying(Resolution.Temporary.class, t -> {
                    assertThat(t.dsn()).isEqualTo("4.4.4");
                    assertThat(t.reason()).contains("typo.example", "relay");
                });
    }

    static List<String> targets(Resolution r) {
        assertThat(r).isInstanceOf(Resolution.Targets.class);
        return ((Resolution.Targets) r).targets().stream().map(Target::toString).toList();
    }

    static List<String> hosts(Resolution r) {
        assertThat(r).isInstanceOf(Resolution.Targets.class);
        return ((Resolution.Targets) r).targets().stream().map(Target::hostname).distinct().toList();
    }

    static java.net.InetAddress ip(String s) {
        return IpLiteral.parse(s);
    }
}
