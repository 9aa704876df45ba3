package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.petrel.mailauth.spf.SpfTesting.ip;
import static dev.petrel.mailauth.spf.SpfTesting.mailFrom;
import static dev.petrel.mailauth.spf.SpfTesting.verifier;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 sections 2.3, 2.4 (identities) and 4.3 to 4.5 (initial processing, record lookup and selection). */
class SpfRecordLookupTest {
    private final MemoryResolver dns = new MemoryResolver();

    @Nested
    class Identities_2_3_and_2_4 {
        @Test
        void nullReversePathChecksPostmasterAtHelo() {
            dns.txt("helo.example.org", "v=spf1 -all exp=why.example.org").txt("why.example.org", "%{s} via %{h}");

            SpfResult empty = verifier(dns).checkMailFrom(ip("192.0.2.1"), "", "helo.example.org");
            SpfResult brackets = verifier(dns).checkMailFrom(ip("192.0.2.1"), "<>", "helo.example.org");

            assertThat(empty).isEqualTo(new SpfResult(Kind.FAIL, "mailfrom", "helo.example.org",
                    "postmaster@helo.example.org via helo.example.org", null));
            assertThat(brackets).isEqualTo(empty);
        }

        @Test
        void heloIdentityUsesPostmasterAtHeloAsSender() {
            dns.txt("mail.example.org", "v=spf1 ip4:192.0.2.1 -all exp=why.example.org").txt("why.example.org", "%{s}|%{l}|%{o}|%{d}");

            SpfResult pass = verifier(dns).checkHelo(ip("192.0.2.1"), "mail.example.org");
            SpfResult fail = verifier(dns).checkHelo(ip("192.0.2.2"), "mail.example.org");

            assertThat(pass).isEqualTo(new SpfResult(Kind.PASS, "helo", "mail.example.org", null, null));
            assertThat(fail.kind()).isEqualTo(Kind.FAIL);
            assertThat(fail.identity()).isEqualTo("helo");
            assertThat(fail.explanation())
                    .isEqualTo("postmaster@mail.example.org|postmaster|mail.example.org|mail.example.org");
        }

        @Test
        void mailFromInAngleBracketsIsTheSameAddress() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.1 -all");
            assertThat(verifier(dns).checkMailFrom(ip("192.0.2.1"), "<user@example.com>", "h.example.org").kind())
                    .isEqualTo(Kind.PASS);
        }

        @Test
        void noHeloAndNullSenderIsNoneWithoutDomain() {
            SpfResult result = verifier(dns).checkMailFrom(ip("192.0.2.1"), "", "");
            assertThat(result).isEqualTo(new SpfResult(Kind.NONE, "mailfrom", null, null, null));
            assertThat(dns.queries()).isEmpty();
        }
    }

    @Nested
    class InitialProcessing_4_3 {
        @Test
        void labelOf63OctetsIsEvaluatedButOf64IsNone() {
            String ok = "a".repeat(63) + ".example.com";
            String tooLong = "a".repeat(64) + ".example.com";
            dns.txt(ok, "v=spf1 -all").txt(tooLong, "v=spf1 -all");

            assertThat(mailFrom(dns, "192.0.2.1", "u@" + ok).kind()).isEqualTo(Kind.FAIL);
            SpfResult none = mailFrom(dns, "192.0.2.1", "u@" + tooLong);
            assertThat(none.kind()).isEqualTo(Kind.NONE);
            assertThat(none.domain()).isEqualTo(tooLong);
            assertThat(dns.queries()).doesNotContain("TXT " + tooLong);
        }

        @Test
        void emptyLabelIsNone() {
            assertThat(mailFrom(dns, "192.0.2.1", "u@a...example.com").kind()).isEqualTo(Kind.NONE);
            assertThat(dns.queries()).isEmpty();
        }

        @Test
        void nameOver253OctetsIsNone() {
            String label = "a".repeat(50);
            String name254 = String.join(".", label, label, label, label, label) + ".abc"; // 5*51 - 1 + 4 = 258
            assertThat(name254.length()).isGreaterThan(253);
            assertThat(mailFrom(dns, "192.0.2.1", "u@" + name254).kind()).isEqualTo(Kind.NONE);
        }

        @Test
        void singleLabelHeloIsNone() {
            dns.txt("A2345678", "v=spf1 -all");
            assertThat(verifier(dns).checkHelo(ip("192.0.2.1"), "A2345678").kind()).isEqualTo(Kind.NONE);
            assertThat(verifier(dns).checkMailFrom(ip("192.0.2.1"), "", "A2345678").kind()).isEqualTo(Kind.NONE);
        }

        @Test
        void addressLiteralsAreNone() {
            assertThat(verifier(dns).checkHelo(ip("192.0.2.1"), "[192.0.2.1]").kind()).isEqualTo(Kind.NONE);
            assertThat(verifier(dns).checkHelo(ip("192.0.2.1"), "192.0.2.1").kind()).isEqualTo(Kind.NONE);
            assertThat(mailFrom(dns, "192.0.2.1", "foo@[192.0.2.1]").kind()).isEqualTo(Kind.NONE);
            assertThat(dns.queries()).isEmpty();
        }

        @Test
        void missingLocalPartBecomesPostmaster() {
            dns.txt("example.net", "v=spf1 -all exp=exp.example.net").txt("exp.example.net", "%{l}");
            SpfResult result = mailFrom(dns, "192.0.2.1", "@example.net");
            assertThat(result.kind()).isEqualTo(Kind.FAIL);
            assertThat(result.explanation()).isEqualTo("postmaster");
        }

        @Test
        void trailingDotOfTheDomainIsIgnored() {
            dns.txt("example.com", "v=spf1 ip4:192.0.2.1 -all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com.");
            assertThat(result.kind()).isEqualTo(Kind.PASS);
            assertThat(result.domain()).isEqualTo("example.com");
        }

        @Test
        void internationalizedDomainIsLookedUpAsALabels() {
            dns.txt("xn--bcher-kva.example", "v=spf1 ip4:192.0.2.1 -all");
            assertThat(mailFrom(dns, "192.0.2.1", "u@bücher.example").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class RecordLookup_4_4 {
        @Test
        void nxdomainIsNone() {
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@missing.example.com");
            assertThat(result).isEqualTo(new SpfResult(Kind.NONE, "mailfrom", "missing.example.com", null, null));
        }

        @Test
        void noTxtRecordsIsNone() {
            dns.a("example.com", "192.0.2.9");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.NONE);
        }

        @Test
        void txtLookupFailureIsTemperror() {
            dns.tempfail("example.com", MemoryResolver.Type.TXT, "SERVFAIL from 127.0.0.1");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.TEMPERROR);
            assertThat(result.problem()).isEqualTo("TXT lookup of example.com failed: SERVFAIL from 127.0.0.1");
        }
    }

    @Nested
    class RecordSelection_4_5 {
        @Test
        void onlyTxtRecordsStartingWithVersionAndSpaceCount() {
            dns.txt("example.com", "v=spf10 +all").txt("example.com", "google-site-verification=abc")
                    .txt("example.com", "v=spf1 ip4:192.0.2.1 -all").txt("example.com", " v=spf1 +all")
                    .txt("example.com", "spf1 +all").txt("example.com", "\u0096 not ascii, not ours");
            assertThat(mailFrom(dns, "192.0.2.2", "u@example.com").kind()).isEqualTo(Kind.FAIL);
        }

        @Test
        void versionIsCaseInsensitive() {
            assertThat(SpfTesting.withRecord(dns, "example.com", "V=SpF1 ~all", "192.0.2.1").kind()).isEqualTo(Kind.SOFTFAIL);
        }

        @Test
        void versionAloneIsAnEmptyRecordAndNeutral() {
            assertThat(SpfTesting.withRecord(dns, "example.com", "v=spf1", "192.0.2.1").kind()).isEqualTo(Kind.NEUTRAL);
        }

        @Test
        void versionJoinedToTheNextTermIsNoRecord() {
            // "v=spf1" "mx" as two strings of one TXT record are joined without a space.
            assertThat(SpfTesting.withRecord(dns, "example.com", "v=spf1mx", "192.0.2.1").kind()).isEqualTo(Kind.NONE);
        }

        @Test
        void twoSpfRecordsArePermerror() {
            dns.txt("example.com", "v=spf1 -all").txt("example.com", "V=spf1 +all");
            SpfResult result = mailFrom(dns, "192.0.2.1", "u@example.com");
            assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
            assertThat(result.problem()).isEqualTo("example.com has 2 SPF records; there must be only one (RFC 7208 4.5)");
        }

        @Test
        void noSpfRecordAmongTxtRecordsIsNone() {
            dns.txt("example.com", "v=DMARC1; p=none").txt("example.com", "hello");
            assertThat(mailFrom(dns, "192.0.2.1", "u@example.com").kind()).isEqualTo(Kind.NONE);
        }
    }
}
