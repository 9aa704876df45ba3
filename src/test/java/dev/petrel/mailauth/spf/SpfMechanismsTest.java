package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.petrel.mailauth.spf.SpfTesting.mailFrom;
import static dev.petrel.mailauth.spf.SpfTesting.withRecord;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 section 5: each mechanism, section 4.6.2 (qualifiers, first match) and 4.7 (default result). */
class SpfMechanismsTest {
    private final MemoryResolver dns = new MemoryResolver();

    private Kind check(String record, String ip) {
        return withRecord(dns, "example.com", record, ip).kind();
    }

    @Nested
    class QualifiersAndOrder_4_6_2_and_4_7 {
        @ParameterizedTest
        @CsvSource({"all, PASS", "+all, PASS", "-all, FAIL", "~all, SOFTFAIL", "?all, NEUTRAL"})
        void qualifierGivesTheResult(String term, Kind expected) {
            assertThat(check("v=spf1 " + term, "192.0.2.1")).isEqualTo(expected);
        }

        @Test
        void firstMatchingMechanismWins() {
            assertThat(check("v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.0/24 +all", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            assertThat(check("v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.0/24 +all", "192.0.2.2")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.0/24 +all", "198.51.100.1")).isEqualTo(Kind.PASS);
        }

        @Test
        void nothingMatchingIsNeutral() {
            assertThat(check("v=spf1 ip4:192.0.2.1", "192.0.2.5")).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void mechanismsAfterAMatchAreNotEvaluated() {
            check("v=spf1 ip4:192.0.2.1 a:never.example.com -all", "192.0.2.1");
            assertThat(dns.queries()).containsExactly("TXT example.com");
        }
    }

    @Nested
    class All_5_1 {
        @Test
        void allMatchesAnyAddressOfEitherFamily() {
            assertThat(check("v=spf1 -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 -all", "2001:db8::1")).isEqualTo(Kind.FAIL);
        }
    }

    @Nested
    class Include_5_2 {
        @Test
        void includeResultMappingTable() {
            dns.txt("pass.example.net", "v=spf1 +all").txt("fail.example.net", "v=spf1 -all")
                    .txt("softfail.example.net", "v=spf1 ~all").txt("neutral.example.net", "v=spf1 ?all")
                    .tempfail("temperror.example.net", MemoryResolver.Type.TXT, "timeout")
                    .txt("permerror.example.net", "v=spf1 bogus")
                    .txt("none.example.net", "not spf");

            assertThat(withRecord(dns, "a.example.com", "v=spf1 include:pass.example.net -all", "192.0.2.1").kind()).isEqualTo(Kind.PASS);
            assertThat(withRecord(dns, "b.example.com", "v=spf1 include:fail.example.net ~all", "192.0.2.1").kind()).isEqualTo(Kind.SOFTFAIL);
            assertThat(withRecord(dns, "c.example.com", "v=spf1 include:softfail.example.net -all", "192.0.2.1").kind()).isEqualTo(Kind.FAIL);
            assertThat(withRecord(dns, "d.example.com", "v=spf1 include:neutral.example.net -all", "192.0.2.1").kind()).isEqualTo(Kind.FAIL);
            SpfResult temperror = withRecord(dns, "e.example.com", "v=spf1 include:temperror.example.net -all", "192.0.2.1");
            assertThat(temperror.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(temperror.problem()).isEqualTo("TXT lookup of temperror.example.net failed: timeout");
            SpfResult permerror = withRecord(dns, "f.example.com", "v=spf1 include:permerror.example.net +all", "192.0.2.1");
            assertThat(permerror.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(permerror.problem()).startsWith("SPF record of permerror.example.net: 'bogus': unknown mechanism");
            SpfResult none = withRecord(dns, "g.example.com", "v=spf1 include:none.example.net +all", "192.0.2.1");
            assertThat(none.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(none.problem()).isEqualTo("'include:none.example.net' at g.example.com: no SPF record at none.example.net");
            SpfResult nx = withRecord(dns, "h.example.com", "v=spf1 include:nx.example.net +all", "192.0.2.1");
            assertThat(nx.problem()).isEqualTo("'include:nx.example.net' at h.example.com: no SPF record at nx.example.net");
        }

        @Test
        void includedRecordUsesItsOwnDomainForDefaults() {
            dns.txt("partner.example.net", "v=spf1 a -all").a("partner.example.net", "192.0.2.77").a("example.com", "192.0.2.99");
            assertThat(check("v=spf1 include:partner.example.net -all", "192.0.2.77")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 include:partner.example.net -all", "192.0.2.99")).isEqualTo(Kind.FAIL);
        }

        @Test
        void includeOfAMalformedDomainIsPermerror() {
            SpfResult result = withRecord(dns, "example.com", "v=spf1 include:%{l}.example.net -all", "192.0.2.1");
            // The local part "user" gives user.example.net: no record there either.
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            dns.txt("x.example.org", "v=spf1 include:a..example.net -all");
            SpfResult malformed = mailFrom(dns, "192.0.2.1", "u@x.example.org");
            assertThat(malformed.problem()).isEqualTo("'include:a..example.net' at x.example.org: 'a..example.net' is not a valid domain name");
        }
    }

    @Nested
    class A_5_3 {
        @Test
        void matchesAnyAddressOfTheCurrentDomainByDefault() {
            dns.a("example.com", "192.0.2.10", "192.0.2.11");
            assertThat(check("v=spf1 a -all", "192.0.2.11")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 a -all", "192.0.2.12")).isEqualTo(Kind.FAIL);
        }

        @Test
        void targetAndIpv4Cidr() {
            dns.a("mail.example.org", "192.0.2.200");
            assertThat(check("v=spf1 a:mail.example.org/24 -all", "192.0.2.1")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 a:mail.example.org/25 -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a:mail.example.org/0 -all", "203.0.113.1")).isEqualTo(Kind.PASS);
        }

        @Test
        void ipv6ClientsAreComparedWithAaaaRecordsAndTheIpv6Cidr() {
            dns.a("example.com", "192.0.2.5").aaaa("example.com", "2001:db8:1234::dead:beef");
            assertThat(check("v=spf1 a -all", "2001:db8:1234::dead:beef")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 a/24//64 -all", "2001:db8:1234::cafe:babe")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 a/24 -all", "2001:db8:1234::cafe:babe")).as("ip4 cidr does not apply").isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a//64 -all", "192.0.2.4")).as("ip6 cidr does not apply").isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a/24//64 -all", "192.0.2.4")).isEqualTo(Kind.PASS);
        }

        @Test
        void noAddressesNeverMatchEvenWithPrefixZero() {
            dns.a("v4only.example.com", "192.0.2.1").aaaa("v6only.example.com", "2001:db8::1");
            assertThat(check("v=spf1 a:nx.example.com/0 -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a:v4only.example.com//0 -all", "2001:db8::99")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a:v6only.example.com/0 -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a:v6only.example.com//0 -all", "2001:db8::99")).isEqualTo(Kind.PASS);
        }

        @Test
        void ipv4MappedClientIsIpv4() {
            dns.a("example.com", "192.0.2.1").aaaa("example.com", "2001:db8::1");
            assertThat(check("v=spf1 a -all", "::ffff:192.0.2.1")).isEqualTo(Kind.PASS);
            assertThat(dns.queries()).contains("A example.com").doesNotContain("AAAA example.com");
        }

        @Test
        void dnsFailureIsTemperror() {
            dns.tempfail("broken.example.com", MemoryResolver.Type.A, "SERVFAIL");
            SpfResult result = withRecord(dns, "example.com", "v=spf1 a:broken.example.com -all", "192.0.2.1");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("'a:broken.example.com': A lookup of broken.example.com failed: SERVFAIL");
        }

        @Test
        void targetThatCannotBeQueriedDoesNotMatch() {
            // Valid domain-spec syntax, but an empty label: no DNS query can be made, so no match.
            assertThat(check("v=spf1 a:mail.example...com -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 a:" + "x".repeat(64) + ".example.com ?all", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            assertThat(dns.queries()).containsOnly("TXT example.com");
        }

        @Test
        void targetMayHoldAnyVisibleCharacter() {
            dns.a("foo:bar/baz.example.com", "192.0.2.1");
            assertThat(check("v=spf1 a:foo:bar/baz.example.com -all", "192.0.2.1")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 a:foo:bar/baz.example.com -all", "::ffff:192.0.2.1")).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class Mx_5_4 {
        @Test
        void matchesAddressesOfTheMxHosts() {
            dns.mx("example.com", 10, "mx1.example.com").mx("example.com", 20, "mx2.example.net")
                    .a("mx1.example.com", "192.0.2.1").a("mx2.example.net", "198.51.100.7", "198.51.100.8");
            assertThat(check("v=spf1 mx -all", "198.51.100.8")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 mx -all", "198.51.100.9")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 mx/24 -all", "198.51.100.9")).isEqualTo(Kind.PASS);
        }

        @Test
        void ofAnotherDomainWithDualCidr() {
            dns.mx("example.org", 0, "mx.example.org").a("mx.example.org", "192.0.2.1").aaaa("mx.example.org", "2001:db8::1");
            assertThat(check("v=spf1 mx:example.org//64 -all", "2001:db8::ffff")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 mx:example.org//64 -all", "192.0.2.2")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 mx:example.org/30//64 -all", "192.0.2.2")).isEqualTo(Kind.PASS);
        }

        @Test
        void noImplicitMx() {
            dns.a("example.com", "192.0.2.1");
            assertThat(check("v=spf1 mx", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void nullMxHasNoAddresses() {
            dns.mx("example.com", 0, ".");
            assertThat(check("v=spf1 mx ?all", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            assertThat(dns.queries()).containsExactly("TXT example.com", "MX example.com");
        }

        @Test
        void mxHostWithoutAddressesIsSkipped() {
            dns.mx("example.com", 10, "gone.example.com").mx("example.com", 20, "mx.example.com").a("mx.example.com", "192.0.2.3");
            assertThat(check("v=spf1 mx -all", "192.0.2.3")).isEqualTo(Kind.PASS);
        }

        @Test
        void mxLookupFailureIsTemperror() {
            dns.tempfail("example.com", MemoryResolver.Type.MX, "timed out");
            SpfResult result = withRecord(dns, "example.com", "v=spf1 mx -all", "192.0.2.1");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("'mx': MX lookup of example.com failed: timed out");
        }

        @Test
        void mxHostAddressFailureIsTemperror() {
            dns.mx("example.com", 10, "mx.example.com").tempfail("mx.example.com", MemoryResolver.Type.AAAA, "REFUSED");
            SpfResult result = withRecord(dns, "example.com", "v=spf1 mx -all", "2001:db8::1");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("'mx': AAAA lookup of mx.example.com failed: REFUSED");
        }
    }

    @Nested
    class Ptr_5_5 {
        @Test
        void validatedNameAtOrBelowTheTargetMatches() {
            dns.ptr("192.0.2.1", "mail.example.com").a("mail.example.com", "192.0.2.1");
            assertThat(check("v=spf1 ptr -all", "192.0.2.1")).isEqualTo(Kind.PASS);
            assertThat(withRecord(dns, "other.example", "v=spf1 ptr:example.com -all", "192.0.2.1").kind()).isEqualTo(Kind.PASS);
            assertThat(withRecord(dns, "third.example", "v=spf1 ptr:mail.example.com -all", "192.0.2.1").kind()).isEqualTo(Kind.PASS);
            assertThat(withRecord(dns, "fourth.example", "v=spf1 ptr:ail.example.com -all", "192.0.2.1").kind())
                    .as("a suffix that is not a whole label").isEqualTo(Kind.FAIL);
        }

        @Test
        void nameThatDoesNotResolveBackDoesNotMatch() {
            dns.ptr("192.0.2.1", "liar.example.com").a("liar.example.com", "192.0.2.2");
            assertThat(check("v=spf1 ptr -all", "192.0.2.1")).isEqualTo(Kind.FAIL);
        }

        @Test
        void ipv6ClientIsValidatedWithAaaa() {
            dns.ptr("2001:db8::1", "mail.example.com").aaaa("mail.example.com", "2001:db8::1");
            assertThat(check("v=spf1 ptr -all", "2001:db8::1")).isEqualTo(Kind.PASS);
        }

        @Test
        void targetComparisonIgnoresCase() {
            dns.ptr("2001:db8::1", "Mail.Example.com").aaaa("mail.example.com", "2001:db8::1");
            assertThat(check("v=spf1 ptr:example.COM -all", "2001:db8::1")).isEqualTo(Kind.PASS);
        }

        @Test
        void dnsErrorsMakeItNotMatchRatherThanTemperror() {
            dns.tempfail("1.2.0.192.in-addr.arpa", MemoryResolver.Type.PTR, "SERVFAIL");
            assertThat(check("v=spf1 ptr ?all", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            dns.ptr("192.0.2.2", "bad.example.com", "good.example.com").tempfail("bad.example.com", MemoryResolver.Type.A, "SERVFAIL")
                    .a("good.example.com", "192.0.2.2");
            assertThat(check("v=spf1 ptr ?all", "192.0.2.2")).isEqualTo(Kind.PASS);
        }

        @Test
        void onlyNamesUnderTheTargetAreValidated() {
            dns.ptr("192.0.2.1", "a.elsewhere.example", "mail.example.com").a("mail.example.com", "192.0.2.1");
            check("v=spf1 ptr -all", "192.0.2.1");
            assertThat(dns.queries()).doesNotContain("A a.elsewhere.example");
        }
    }

    @Nested
    class Ip4AndIp6_5_6 {
        @Test
        void ip4Networks() {
            assertThat(check("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.255")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip4:192.0.2.0/24 -all", "192.0.3.0")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ip4:192.0.2.128/25 -all", "192.0.2.127")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ip4:1.1.1.1/0 -all", "203.0.113.9")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip4:192.0.2.7/32 -all", "192.0.2.7")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip4:192.0.2.7 -all", "192.0.2.8")).isEqualTo(Kind.FAIL);
        }

        @Test
        void ip6Networks() {
            assertThat(check("v=spf1 ip6:2001:db8::/32 -all", "2001:db8:ffff::1")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip6:2001:db8::/32 -all", "2001:db9::1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ip6:Cafe:Babe:8000::/33 -all", "cafe:babe:8000::")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip6:Cafe:Babe:8000::/33 -all", "cafe:babe::1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ip6:::1.1.1.1/0 -all", "deaf:babe::cab:fee")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 ip6:2001:db8::1 -all", "2001:db8::1")).isEqualTo(Kind.PASS);
        }

        @Test
        void familiesNeverCrossEvenWithPrefixZero() {
            assertThat(check("v=spf1 ip6:::1.1.1.1/0", "192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            assertThat(check("v=spf1 ip6:::1.1.1.1/0", "::ffff:192.0.2.1")).isEqualTo(Kind.NEUTRAL);
            assertThat(check("v=spf1 ip4:0.0.0.0/0", "2001:db8::1")).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void ipv4MappedClientMatchesIp4NotIp6() {
            assertThat(check("v=spf1 -ip4:192.0.2.1 ip6:::FFFF:192.0.2.1", "::FFFF:192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 ip6:::FFFF:192.0.2.1 ?all", "::FFFF:192.0.2.1")).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void noDnsIsQueried() {
            check("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all", "198.51.100.1");
            assertThat(dns.queries()).containsExactly("TXT example.com");
        }
    }

    @Nested
    class Exists_5_7 {
        @Test
        void anyARecordMatches() {
            dns.a("1.2.0.192.bl.example.net", "127.0.0.2");
            assertThat(check("v=spf1 -exists:%{ir}.bl.example.net +all", "192.0.2.1")).isEqualTo(Kind.FAIL);
            assertThat(check("v=spf1 -exists:%{ir}.bl.example.net +all", "192.0.2.2")).isEqualTo(Kind.PASS);
        }

        @Test
        void looksUpAEvenForIpv6Clients() {
            dns.a("mail.example.net", "192.0.2.1").aaaa("mail6.example.net", "2001:db8::4");
            assertThat(check("v=spf1 exists:mail.example.net -all", "2001:db8::3")).isEqualTo(Kind.PASS);
            assertThat(check("v=spf1 exists:mail6.example.net -all", "2001:db8::3")).isEqualTo(Kind.FAIL);
        }

        @Test
        void dnsErrorIsTemperror() {
            dns.tempfail("err.example.net", "timeout");
            SpfResult result = withRecord(dns, "example.com", "v=spf1 exists:err.example.net -all", "2001:db8::3");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("'exists:err.example.net': A lookup of err.example.net failed: timeout");
        }
    }
}
