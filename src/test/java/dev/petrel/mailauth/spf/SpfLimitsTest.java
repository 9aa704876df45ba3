package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import dev.petrel.mailauth.spf.SpfTesting.SlowResolver;
import dev.petrel.mailauth.spf.SpfTesting.SteppingClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.petrel.mailauth.spf.SpfTesting.ip;
import static dev.petrel.mailauth.spf.SpfTesting.mailFrom;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 section 4.6.4: the DNS-term, void-lookup, MX and PTR limits, loops, and the time limit. */
class SpfLimitsTest {
    private final MemoryResolver dns = new MemoryResolver();

    private static String over(int number) {
        return " is DNS-querying term number " + number + "; at most 10 (include, a, mx, ptr, exists, redirect) "
                + "are allowed (RFC 7208 4.6.4)";
    }

    @Nested
    class DnsQueryingTerms {
        /** Every a, mx and ptr term below finds records, so no void lookup interferes. */
        private void publishTargets() {
            dns.a("example.com", "192.0.2.8").mx("example.com", 10, "example.com")
                    .ptr("192.0.2.4", "host.example.net").a("host.example.net", "192.0.2.4");
        }

        @Test
        void tenTermsAreAllowed() {
            publishTargets();
            dns.txt("example.com", "v=spf1 a mx a mx a mx a mx a ptr ip4:192.0.2.4 -all");
            assertThat(mailFrom(dns, "192.0.2.4", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }

        @Test
        void theEleventhIsPermerror() {
            publishTargets();
            dns.txt("example.com", "v=spf1 a mx a mx a mx a mx a ptr a ip4:192.0.2.4 -all");
            SpfResult result = mailFrom(dns, "192.0.2.4", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'a'" + over(11));
        }

        @Test
        void termsOfIncludedRecordsCountAndAreCountedWhenEvaluated() {
            dns.a("example.com", "192.0.2.4").a("inc.example.com", "192.0.2.10")
                    .txt("inc.example.com", "v=spf1 a a a a a a a a")
                    // a(1) include(2) 8 a's (10), then ip4 matches: the mx after it is never counted.
                    .txt("e8.example.com", "v=spf1 a:inc.example.com include:inc.example.com ip4:192.0.2.4 mx -all")
                    .txt("e9.example.com", "v=spf1 a:inc.example.com include:inc.example.com a ip4:192.0.2.4 -all");
            assertThat(mailFrom(dns, "192.0.2.4", "u@e8.example.com").kind()).isEqualTo(Kind.PASS);
            SpfResult over = mailFrom(dns, "192.0.2.4", "u@e9.example.com");
            assertThat(over.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(over.problem()).isEqualTo("'a'" + over(11));
        }

        @Test
        void redirectsCount() {
            for (int i = 0; i < 11; i++) dns.txt("r" + i + ".example.com", "v=spf1 redirect=r" + (i + 1) + ".example.com");
            dns.txt("r11.example.com", "v=spf1 ip4:192.0.2.1 -all");
            // r1 -> r11 is ten redirects; r0 -> r11 is eleven.
            assertThat(mailFrom(dns, "192.0.2.1", "u@r1.example.com").kind()).isEqualTo(Kind.PASS);
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@r0.example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'redirect=r11.example.com'" + over(11));
        }

        @Test
        void ip4Ip6AllAndExpDoNotCount() {
            dns.a("example.com", "192.0.2.4");
            StringBuilder record = new StringBuilder("v=spf1");
            for (int i = 0; i < 10; i++) record.append(" a ip4:198.51.100.").append(i).append(" ip6:2001:db8::").append(i);
            dns.txt("example.com", record + " -all exp=why.example.com").txt("why.example.com", "no");
            SpfResult result = mailFrom(dns, "192.0.2.5", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.FAIL);
            assertThat(result.explanation()).isEqualTo("no");
        }

        @Test
        void addressRecordsHaveNoLimit() {
            String[] twelve = new String[12];
            for (int i = 0; i < 12; i++) twelve[i] = "192.0.2." + (i + 1);
            dns.a("example.com", twelve).txt("example.com", "v=spf1 a -all");
            assertThat(mailFrom(dns, "192.0.2.12", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class Loops {
        @Test
        void includeOfItselfIsPermerror() {
            dns.txt("example.com", "v=spf1 include:example.com -all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'include:example.com'" + over(11));
            assertThat(dns.queries()).hasSize(11);
        }

        @Test
        void mutualIncludesArePermerror() {
            dns.txt("e2.example.com", "v=spf1 include:e3.example.com").txt("e3.example.com", "v=spf1 include:e2.example.com");
            assertThat(mailFrom(dns, "192.0.2.1", "u@e2.example.com").kind()).isEqualTo(Kind.PERMERROR);
        }

        @Test
        void redirectToItselfIsPermerror() {
            dns.txt("example.com", "v=spf1 ip4:198.51.100.1 redirect=example.com");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'redirect=example.com'" + over(11));
        }

        @Test
        void redirectChainThatLoopsIsPermerror() {
            dns.txt("a.example.com", "v=spf1 redirect=b.example.com").txt("b.example.com", "v=spf1 redirect=c.example.com")
                    .txt("c.example.com", "v=spf1 redirect=a.example.com");
            assertThat(mailFrom(dns, "192.0.2.1", "u@a.example.com").kind()).isEqualTo(Kind.PERMERROR);
        }

        @Test
        void loopBelowAMatchIsNeverReached() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.1 include:example.com -all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class VoidLookups {
        @Test
        void twoAreAllowed() {
            dns.a("nodata.example.com", "192.0.2.200"); // exists, but (for an IPv6 client) no AAAA: NODATA
            dns.txt("example.com", "v=spf1 a:nx.example.com a:nodata.example.com ?all");
            assertThat(mailFrom(dns, "2001:db8::1", "u@example.com").kind()).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void theThirdIsPermerror() {
            dns.a("nodata.example.com", "192.0.2.200");
            dns.txt("example.com", "v=spf1 a:nx.example.com a:nodata.example.com a:nx2.example.com ?all");
            SpfResult result = mailFrom(dns, "2001:db8::1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'a:nx2.example.com': nx2.example.com does not exist or has no records; "
                    + "that is void lookup 3, and at most 2 are allowed (RFC 7208 4.6.4)");
        }

        @Test
        void mxExistsAndPtrLookupsCountToo() {
            dns.txt("example.com", "v=spf1 mx:nx1.example.com exists:nx2.example.com ptr ?all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'ptr': the PTR of 192.0.2.1 does not exist or has no records; "
                    + "that is void lookup 3, and at most 2 are allowed (RFC 7208 4.6.4)");
        }

        @Test
        void voidLookupsInsideAnIncludeCountForTheWholeCheck() {
            dns.txt("inc.example.com", "v=spf1 exists:nx1.example.com exists:nx2.example.com")
                    .txt("example.com", "v=spf1 include:inc.example.com exists:nx3.example.com +all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.PERMERROR);
        }

        @Test
        void addressLookupsOfMxHostsAreNotVoidLookups() {
            // One MX lookup with three hosts lacking AAAA: covered by the MX limit, not the void limit.
            dns.mx("example.com", 10, "v4a.example.com").mx("example.com", 20, "v4b.example.com")
                    .mx("example.com", 30, "v4c.example.com").mx("example.com", 40, "dual.example.com")
                    .a("v4a.example.com", "192.0.2.1").a("v4b.example.com", "192.0.2.2").a("v4c.example.com", "192.0.2.3")
                    .aaaa("dual.example.com", "2001:db8::25")
                    .txt("example.com", "v=spf1 mx ~all");
            assertThat(mailFrom(dns, "2001:db8::25", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class MxAndPtrNames {
        private void mxHosts(int count) {
            for (int i = 0; i < count; i++) {
                dns.mx("example.com", i, "mx" + i + ".example.com").a("mx" + i + ".example.com", "192.0.2." + (i + 1));
            }
        }

        @Test
        void tenMxNamesAreChecked() {
            mxHosts(10);
            dns.txt("example.com", "v=spf1 mx -all");
            assertThat(mailFrom(dns, "192.0.2.10", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }

        @Test
        void elevenMxNamesArePermerrorEvenIfTheFirstMatches() {
            mxHosts(11);
            dns.txt("example.com", "v=spf1 mx -all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("'mx': example.com has 11 MX records; at most 10 may be looked up (RFC 7208 4.6.4)");
        }

        @Test
        void onlyTheFirstTenPtrNamesAreLookedAt() {
            String[] names = new String[11];
            for (int i = 0; i < 11; i++) names[i] = "h" + i + ".example.com";
            dns.ptr("192.0.2.5", names).a("h10.example.com", "192.0.2.5").a("h9.example.com", "192.0.2.6")
                    .txt("example.com", "v=spf1 ptr ?all");
            assertThat(mailFrom(dns, "192.0.2.5", "u@example.com").kind()).isEqualTo(Kind.NEUTRAL);
            assertThat(dns.queries()).doesNotContain("A h10.example.com");

            MemoryResolver second = new MemoryResolver();
            // The tenth name is still looked at.
            second.ptr("192.0.2.6", names).a("h9.example.com", "192.0.2.6").txt("example.com", "v=spf1 ptr ?all");
            assertThat(mailFrom(second, "192.0.2.6", "u@example.com").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class TimeLimit {
        private static final Duration PER_QUERY = Duration.ofSeconds(3);

        private void tenSlowLookups() {
            for (int i = 0; i < 10; i++) dns.a("h" + i + ".example.com", "198.51.100." + i);
            dns.txt("example.com", "v=spf1 a:h0.example.com a:h1.example.com a:h2.example.com a:h3.example.com "
                    + "a:h4.example.com a:h5.example.com a:h6.example.com a:h7.example.com a:h8.example.com "
                    + "a:h9.example.com -all exp=why.example.com").txt("why.example.com", "slow but sure");
        }

        @Test
        void exceedingTheLimitIsTemperror() {
            tenSlowLookups();
            SteppingClock clock = new SteppingClock();
            SpfVerifier verifier = new SpfVerifier(new SlowResolver(dns, clock, PER_QUERY), clock, Duration.ofSeconds(20), "r");
            SpfResult result = verifier.checkMailFrom(ip("192.0.2.1"), "u@example.com", "h.example.org");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("the SPF check took longer than its limit of 20.0 s (RFC 7208 4.6.4)");
            assertThat(dns.queries()).hasSize(7); // 21 s after the seventh query; no eighth is sent
        }

        @Test
        void aLongerLimitLetsTheSameCheckFinish() {
            tenSlowLookups();
            SteppingClock clock = new SteppingClock();
            SpfVerifier verifier = new SpfVerifier(new SlowResolver(dns, clock, PER_QUERY), clock, Duration.ofSeconds(60), "r");
            SpfResult result = verifier.checkMailFrom(ip("192.0.2.1"), "u@example.com", "h.example.org");
            assertThat(result.kind()).isEqualTo(Kind.FAIL);
            assertThat(result.explanation()).isEqualTo("slow but sure");
        }

        @Test
        void anExplanationPastTheLimitFallsBackToTheDefault() {
            tenSlowLookups();
            SteppingClock clock = new SteppingClock();
            // 11 queries (33 s) decide the result; the explanation lookup ends past 34 s.
            SpfVerifier verifier = new SpfVerifier(new SlowResolver(dns, clock, PER_QUERY), clock, Duration.ofSeconds(34), "r");
            SpfResult result = verifier.checkMailFrom(ip("192.0.2.1"), "u@example.com", "h.example.org");
            assertThat(result.kind()).isEqualTo(Kind.FAIL);
            assertThat(result.explanation()).isEqualTo("example.com does not designate 192.0.2.1 as a permitted sender");
        }
    }

    @Test
    void checksRunningAtOnceShareNoState() throws Exception {
        // Each check makes 4 DNS-querying terms; shared counters would push some over the limit of 10.
        dns.a("example.com", "192.0.2.1").mx("example.com", 10, "example.com")
                .txt("example.com", "v=spf1 a mx a mx ip4:192.0.2.2 -all");
        SpfVerifier verifier = SpfTesting.verifier(dns);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SpfResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String client = i % 2 == 0 ? "192.0.2.2" : "192.0.2.3";
                results.add(pool.submit(() -> verifier.checkMailFrom(ip(client), "u@example.com", "h.example.org")));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).kind()).isEqualTo(i % 2 == 0 ? Kind.PASS : Kind.FAIL);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
