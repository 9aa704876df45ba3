package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.petrel.mailauth.spf.SpfTesting.mailFrom;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 section 6: the redirect and exp modifiers, and unknown modifiers. */
class SpfModifiersTest {
    private final MemoryResolver dns = new MemoryResolver();

    @Nested
    class Redirect_6_1 {
        @Test
        void appliesWhenNothingMatchedAndTakesTheTargetsResult() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.1 redirect=_spf.example.net")
                    .txt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 -all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.PASS);
            assertThat(mailFrom(dns, "198.51.100.3", "u@example.com").kind()).isEqualTo(Kind.PASS);
            SpfResult fail = mailFrom(dns, "203.0.113.1", "u@example.com");
            assertThat(fail.kind()).isEqualTo(Kind.FAIL);
            assertThat(fail.domain()).as("the identity's domain, not the redirect target").isEqualTo("example.com");
        }

        @Test
        void isIgnoredWhenTheRecordHasAll() {
            // The redirect target would be a loop over the lookup limit, but "all" matches first.
            dns.txt("example.com", "v=spf1 redirect=example.com ~all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.SOFTFAIL);
        }

        @Test
        void changesTheCurrentDomainForTheTargetRecord() {
            dns.txt("example.com", "v=spf1 redirect=target.example.net").a("example.com", "192.0.2.1")
                    .txt("target.example.net", "v=spf1 a -all").a("target.example.net", "192.0.2.2");
            assertThat(mailFrom(dns, "192.0.2.2", "u@example.com").kind()).isEqualTo(Kind.PASS);
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.FAIL);
        }

        @Test
        void targetWithoutRecordIsPermerror() {
            dns.txt("example.com", "v=spf1 redirect=nowhere.example.net");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("redirect=nowhere.example.net at example.com: no SPF record at nowhere.example.net");
        }

        @Test
        void malformedTargetIsPermerror() {
            dns.txt("example.com", "v=spf1 redirect=%{l}.example.net");
            SpfResult result = mailFrom(dns, "192.0.2.1", "a..b@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("redirect=%{l}.example.net at example.com: 'a..b.example.net' is not a valid domain name");
        }

        @Test
        void errorsOfTheTargetPassThrough() {
            dns.txt("a.example.com", "v=spf1 redirect=broken.example.net").tempfail("broken.example.net", "SERVFAIL")
                    .txt("b.example.com", "v=spf1 redirect=bad.example.net").txt("bad.example.net", "v=spf1 ip4:300.1.1.1");
            assertThat(mailFrom(dns, "192.0.2.1", "u@a.example.com").kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(mailFrom(dns, "192.0.2.1", "u@b.example.com").kind()).isEqualTo(Kind.PERMERROR);
        }

        @Test
        void trailingDotOnTheTargetIsIgnored() {
            dns.txt("example.com", "v=spf1 redirect=%{d}.d.spf.example.net.")
                    .txt("example.com.d.spf.example.net", "v=spf1 include:o.spf.example.net. ~all")
                    .txt("o.spf.example.net", "v=spf1 ip4:192.0.2.40");
            assertThat(mailFrom(dns, "192.0.2.40", "test@example.com").kind()).isEqualTo(Kind.PASS);
            assertThat(mailFrom(dns, "192.0.2.41", "test@example.com").kind()).isEqualTo(Kind.SOFTFAIL);
        }
    }

    @Nested
    class Explanation_6_2 {
        @Test
        void expandedExplanationOnFail() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all exp=explain._spf.%{d}")
                    .txt("explain._spf.example.com", "%{i} is not one of %{d}'s designated mail servers.");
            SpfResult result = mailFrom(dns, "203.0.113.5", "u@example.com");
            assertThat(result).isEqualTo(new SpfResult(Kind.FAIL, "mailfrom", "example.com",
                    "203.0.113.5 is not one of example.com's designated mail servers.", null));
        }

        @Test
        void notLookedUpForOtherResults() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.1 ~ip4:192.0.2.2 exp=explain.example.com ?all")
                    .txt("explain.example.com", "never");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").explanation()).isNull();
            assertThat(mailFrom(dns, "192.0.2.2", "u@example.com").explanation()).isNull();
            assertThat(mailFrom(dns, "192.0.2.3", "u@example.com").explanation()).isNull();
            assertThat(dns.queries()).doesNotContain("TXT explain.example.com");
        }

        @Test
        void defaultExplanationWithoutExp() {
            dns.txt("example.com", "v=spf1 -all");
            assertThat(mailFrom(dns, "2001:db8::1", "u@example.com").explanation())
                    .isEqualTo("example.com does not designate 2001:db8::1 as a permitted sender");
        }

        @Test
        void anyProblemWithTheExplanationGivesTheDefault() {
            String fallback = "example.com does not designate 192.0.2.1 as a permitted sender";
            dns.txt("two.example.net", "one").txt("two.example.net", "two")
                    .tempfail("failing.example.net", MemoryResolver.Type.TXT, "SERVFAIL")
                    .txt("syntax.example.net", "The %{x}-files.")
                    .txt("nonascii.example.net", "\uFEFFExplanation")
                    .a("nodata.example.net", "192.0.2.9");
            for (String exp : new String[] {"two.example.net", "failing.example.net", "syntax.example.net",
                    "nonascii.example.net", "nodata.example.net", "nx.example.net", "%{l}.example.net"}) {
                SpfResult result = SpfTesting.withRecord(dns, "example.com", "v=spf1 -all exp=" + exp, "192.0.2.1");
                assertThat(result.kind()).as(exp).isEqualTo(Kind.FAIL);
                assertThat(result.explanation()).as(exp).isEqualTo(fallback);
            }
        }

        @Test
        void localPartWithSpacesAndTrailingDotsStayInTheText() {
            dns.txt("example.com", "v=spf1 -all exp=msg.example.com.").txt("msg.example.com", "%{l} in implementation.");
            assertThat(mailFrom(dns, "192.0.2.1", "Macro Error@example.com").explanation()).isEqualTo("Macro Error in implementation.");
        }

        @Test
        void redirectUsesTheTargetsExpNotTheOriginal() {
            dns.txt("e1.example.com", "v=spf1 exp=exp1.example.com redirect=e2.example.com")
                    .txt("e2.example.com", "v=spf1 -all")
                    .txt("e3.example.com", "v=spf1 exp=exp1.example.com redirect=e4.example.com")
                    .txt("e4.example.com", "v=spf1 -all exp=exp2.example.com")
                    .txt("exp1.example.com", "No-see-um").txt("exp2.example.com", "See me.");
            assertThat(mailFrom(dns, "192.0.2.1", "u@e1.example.com").explanation())
                    .isEqualTo("e2.example.com does not designate 192.0.2.1 as a permitted sender");
            assertThat(mailFrom(dns, "192.0.2.1", "u@e3.example.com").explanation()).isEqualTo("See me.");
        }

        @Test
        void includeIgnoresTheIncludedExp() {
            dns.txt("example.com", "v=spf1 include:inner.example.com -all exp=exp3.example.com")
                    .txt("inner.example.com", "v=spf1 -all exp=exp2.example.com")
                    .txt("exp2.example.com", "See me.").txt("exp3.example.com", "Correct!");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").explanation()).isEqualTo("Correct!");
            assertThat(dns.queries()).doesNotContain("TXT exp2.example.com");
        }

        @Test
        void explanationLookupCountsAgainstNoLimit() {
            // Two void lookups (the limit), then an exp at a name that does not exist: still fail.
            dns.txt("example.com", "v=spf1 a:nx1.example.com a:nx2.example.com exp=nxdomain.example.net -all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.FAIL);
        }
    }

    @Nested
    class UnknownModifiers_6 {
        @Test
        void areIgnored() {
            dns.txt("a.example.com", "v=spf1 default=pass").txt("b.example.com", "v=spf1 default=+ ip4:192.0.2.1 x-future=%{d} -all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@a.example.com").kind()).isEqualTo(Kind.NEUTRAL);
            assertThat(mailFrom(dns, "192.0.2.1", "u@b.example.com").kind()).isEqualTo(Kind.PASS);
            assertThat(dns.queries()).containsExactly("TXT a.example.com", "TXT b.example.com");
        }
    }
}
