package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import static dev.petrel.mailauth.spf.SpfTesting.ip;
import static dev.petrel.mailauth.spf.SpfTesting.mailFrom;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 section 7: macro letters, transformers, delimiters, escapes, URL encoding, truncation. */
class SpfMacroTest {

    /** The values of the examples of section 7.4: strong-bad@email.example.com from 192.0.2.3. */
    private static String exampleValue(char letter) {
        return switch (letter) {
            case 's' -> "strong-bad@email.example.com";
            case 'l' -> "strong-bad";
            case 'o', 'd' -> "email.example.com";
            case 'i' -> "192.0.2.3";
            case 'v' -> "in-addr";
            case 'h' -> "mx.example.org";
            default -> "?";
        };
    }

    @Nested
    class Expansion_7_3_and_7_4 {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "%{s}|strong-bad@email.example.com",
                "%{o}|email.example.com",
                "%{d}|email.example.com",
                "%{d4}|email.example.com",
                "%{d3}|email.example.com",
                "%{d2}|example.com",
                "%{d1}|com",
                "%{dr}|com.example.email",
                "%{d2r}|example.email",
                "%{l}|strong-bad",
                "%{l-}|strong.bad",
                "%{lr}|strong-bad",
                "%{lr-}|bad.strong",
                "%{l1r-}|strong",
                "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
                "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
                "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
                "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
                "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
                "%{d999}|email.example.com",
                "%{sr}|com.example.strong-bad@email",
                "%{s1}|com",
                "%{l2r+-}|bad.strong",
        })
        void rfcExamplesAndTransformers(String macro, String expected) throws SpfSyntaxException {
            assertThat(MacroString.parseDomainSpec(macro).expand(SpfMacroTest::exampleValue)).isEqualTo(expected);
        }

        @Test
        void escapesAndLiterals() throws SpfSyntaxException {
            assertThat(MacroString.parseDomainSpec("macro%%percent%_%_space%-url-space.example.com")
                    .expand(SpfMacroTest::exampleValue)).isEqualTo("macro%percent  space%20url-space.example.com");
            assertThat(MacroString.parseExplanation("100%% sure: %{l} said  no").expand(SpfMacroTest::exampleValue))
                    .isEqualTo("100% sure: strong-bad said  no");
        }

        @Test
        void everyDelimiterSplits() throws SpfSyntaxException {
            MacroString all = MacroString.parseDomainSpec("%{lr.-+,/_=}.example.com");
            assertThat(all.expand(letter -> "a.b-c+d,e/f_g=h")).isEqualTo("h.g.f.e.d.c.b.a.example.com");
            assertThat(MacroString.parseDomainSpec("%{l2}.x.com").expand(letter -> "a..b")).as("empty parts kept").isEqualTo(".b.x.com");
        }

        @Test
        void upperCaseLettersAreUrlEscapedAfterTransformation() throws SpfSyntaxException {
            MacroString text = MacroString.parseExplanation("http://example.com/why.html?l=%{L}&d=%{D2R}");
            assertThat(text.expand(letter -> letter == 'l' ? "~jack&jill=up-a_b3.c" : "x y.example.com"))
                    .isEqualTo("http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c&d=example.x%20y");
            assertThat(MacroString.urlEscape("é/ü")).isEqualTo("%C3%A9%2F%C3%BC");
        }
    }

    @Nested
    class LettersInEvaluation_7_2 {
        private final MemoryResolver dns = new MemoryResolver();

        private String explain(String text, String client, String sender, String helo) {
            dns.txt("example.com", "v=spf1 -all exp=exp.example.com").txt("exp.example.com", text);
            return SpfTesting.verifier(dns).checkMailFrom(ip(client), sender, helo).explanation();
        }

        @Test
        void senderLettersHeloAndVersion() {
            assertThat(explain("%{s}|%{l}|%{o}|%{d}|%{h}|%{v}|%{i}", "192.0.2.3", "Strong-Bad@example.com", "mx.example.org"))
                    .isEqualTo("Strong-Bad@example.com|Strong-Bad|example.com|example.com|mx.example.org|in-addr|192.0.2.3");
        }

        @Test
        void ipv6InDottedNibblesAndReadableForm() {
            assertThat(explain("%{c} is queried as %{ir}.%{v}.arpa", "CAFE:BABE::1", "u@example.com", "h.example.org"))
                    .isEqualTo("cafe:babe::1 is queried as 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.e.b.a.b.e.f.a.c.ip6.arpa");
        }

        @Test
        void ipv6NibblesInDomainSpecAsInTheRfcExample() {
            dns.txt("email.example.com", "v=spf1 exists:%{ir}.%{v}._spf.%{d2} -all")
                    .a("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", "127.0.0.2");
            assertThat(mailFrom(dns, "2001:db8::cb01", "strong-bad@email.example.com").kind()).isEqualTo(Kind.PASS);
            assertThat(mailFrom(dns, "2001:db8::cb02", "strong-bad@email.example.com").kind()).isEqualTo(Kind.FAIL);
        }

        @Test
        void ipv4MappedClientExpandsAsIpv4() {
            assertThat(explain("%{i} %{c} %{v}", "::ffff:192.0.2.3", "u@example.com", "h.example.org"))
                    .isEqualTo("192.0.2.3 192.0.2.3 in-addr");
        }

        @Test
        void receiverAndTimestampInExplanations() {
            assertThat(explain("%{r} at %{t}", "192.0.2.3", "u@example.com", "h.example.org"))
                    .isEqualTo(SpfTesting.RECEIVER + " at " + SpfTesting.NOW.getEpochSecond());
            SpfVerifier defaults = new SpfVerifier(dns, Clock.fixed(SpfTesting.NOW, ZoneOffset.UTC), Duration.ofSeconds(20), "unknown");
            assertThat(defaults.checkMailFrom(ip("192.0.2.3"), "u@example.com", "h").explanation()).startsWith("unknown at ");
        }

        @Test
        void upperCaseLocalPartIsUrlEscaped() {
            dns.txt("example.com", "v=spf1 -all exp=msg8.%{D2}").txt("msg8.example.com", "http://example.com/why.html?l=%{L}");
            assertThat(mailFrom(dns, "192.0.2.3", "~jack&jill=up-a_b3.c@example.com").explanation())
                    .isEqualTo("http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c");
        }

        @Test
        void heloMacroInDomainSpecEvenWhenTheHeloIsNotADomain() {
            dns.txt("example.com", "v=spf1 a:%{H} -all").a("mx.example.org", "192.0.2.40");
            assertThat(SpfTesting.verifier(dns).checkMailFrom(ip("192.0.2.40"), "u@example.com", "mx.example.org").kind())
                    .isEqualTo(Kind.PASS);
            assertThat(SpfTesting.verifier(dns).checkMailFrom(ip("192.0.2.40"), "u@example.com", "JUMPIN' JUPITER").kind())
                    .isEqualTo(Kind.FAIL);
            assertThat(dns.queries()).contains("A jumpin%27%20jupiter");
            assertThat(SpfTesting.verifier(dns).checkMailFrom(ip("192.0.2.40"), "u@example.com", "[192.0.2.40]").kind())
                    .isEqualTo(Kind.FAIL);
        }

        @Test
        void splitOnDashReversedAndTrimmed() {
            dns.txt("example.com", "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}").a("192.0.2.4.gladstone.philip.user.example.com", "127.0.0.2");
            assertThat(mailFrom(dns, "192.0.2.4", "philip-gladstone-test@example.com").kind()).isEqualTo(Kind.PASS);
            dns.txt("example.net", "v=spf1 exists:%{l2r+-}.user.%{d2}").a("bar.foo.user.example.net", "127.0.0.2");
            assertThat(mailFrom(dns, "192.0.2.4", "foo-bar+zip+quux@example.net").kind()).isEqualTo(Kind.PASS);
        }
    }

    @Nested
    class ValidatedName_p {
        private final MemoryResolver dns = new MemoryResolver();

        private final java.util.Set<String> published = new java.util.HashSet<>();

        private String connectFrom(String client, String domain) {
            if (published.add(domain)) {
                dns.txt(domain, "v=spf1 -all exp=msg." + domain).txt("msg." + domain, "connect from %{p}");
            }
            return mailFrom(dns, client, "u@" + domain).explanation();
        }

        @Test
        void validatedNameOrUnknown() {
            dns.a("mx.example.com", "192.0.2.41", "192.0.2.42").aaaa("mx.example.com", "cafe:babe::3")
                    .ptr("192.0.2.40", "mx.example.com").ptr("192.0.2.41", "mx.example.com")
                    .ptr("cafe:babe::1", "mx.example.com").ptr("cafe:babe::3", "mx.example.com");
            assertThat(connectFrom("192.0.2.40", "e6.example.com")).as("does not validate").isEqualTo("connect from unknown");
            assertThat(connectFrom("192.0.2.41", "e6.example.com")).isEqualTo("connect from mx.example.com");
            assertThat(connectFrom("cafe:babe::1", "e6.example.com")).isEqualTo("connect from unknown");
            assertThat(connectFrom("cafe:babe::3", "e6.example.com")).isEqualTo("connect from mx.example.com");
            assertThat(connectFrom("192.0.2.99", "e6.example.com")).as("no PTR").isEqualTo("connect from unknown");
        }

        @Test
        void prefersTheDomainThenASubdomain() {
            dns.ptr("192.0.2.42", "mx.example.com", "mx.e7.example.com", "e7.example.com")
                    .a("mx.example.com", "192.0.2.42").a("mx.e7.example.com", "192.0.2.42").a("e7.example.com", "192.0.2.42");
            assertThat(connectFrom("192.0.2.42", "e7.example.com")).isEqualTo("connect from e7.example.com");
            assertThat(connectFrom("192.0.2.42", "mail.e7.example.com")).isEqualTo("connect from mx.example.com");

            MemoryResolver second = new MemoryResolver();
            second.ptr("192.0.2.42", "mx.example.com", "mx.e7.example.com")
                    .a("mx.example.com", "192.0.2.42").a("mx.e7.example.com", "192.0.2.42")
                    .txt("e7.example.com", "v=spf1 exists:%{p}.should.example.com ~exists:%{p}.ok.example.com")
                    .a("mx.e7.example.com.should.example.com", "127.0.0.2").a("mx.example.com.ok.example.com", "127.0.0.2");
            assertThat(mailFrom(second, "192.0.2.42", "u@e7.example.com").kind()).isEqualTo(Kind.PASS);
        }

        @Test
        void dnsErrorMeansUnknown() {
            dns.tempfail("40.2.0.192.in-addr.arpa", MemoryResolver.Type.PTR, "SERVFAIL");
            assertThat(connectFrom("192.0.2.40", "example.com")).isEqualTo("connect from unknown");
        }
    }

    @Nested
    class Truncation_7_3 {
        @Test
        void expandedNameOver253IsCutFromTheLeftByWholeLabels() {
            MemoryResolver dns = new MemoryResolver();
            String o = "somewhat.long.exp.example.com";
            String full = "foobar." + (o + ".").repeat(8) + "example.com"; // 7 + 30*8 + 11 = 258
            String kept = (o + ".").repeat(8) + "example.com";             // "foobar." dropped: 251
            assertThat(full.length()).isGreaterThan(253);
            assertThat(kept.length()).isLessThanOrEqualTo(253);
            dns.txt(o, "v=spf1 -all exp=foobar.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.example.com")
                    .txt(kept, "Congratulations!  That was tricky.");
            SpfResult result = mailFrom(dns, "192.0.2.40", "test@" + o);
            assertThat(result.explanation()).isEqualTo("Congratulations!  That was tricky.");
        }

        @Test
        void truncationKeepsWholeLabels() {
            String tail = "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(60) + ".example";
            String name = "a".repeat(60) + "." + tail; // 312 characters; without its first label 251
            assertThat(DomainNames.truncateLeft(name)).isEqualTo(tail);
            assertThat(DomainNames.truncateLeft("short.example")).isEqualTo("short.example");
        }
    }
}
