package dev.petrel.mailauth.spf;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.spf.Mechanism.A;
import dev.petrel.mailauth.spf.Mechanism.All;
import dev.petrel.mailauth.spf.Mechanism.Exists;
import dev.petrel.mailauth.spf.Mechanism.Include;
import dev.petrel.mailauth.spf.Mechanism.Ip4;
import dev.petrel.mailauth.spf.Mechanism.Ip6;
import dev.petrel.mailauth.spf.Mechanism.Mx;
import dev.petrel.mailauth.spf.Mechanism.Ptr;
import dev.petrel.mailauth.spf.SpfResult.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 7208 section 12 (the record grammar), with 4.6.1 (term evaluation), 5 and 6 for what is valid. */
class SpfRecordParserTest {

    private static SpfRecord parse(String text) throws SpfSyntaxException {
        return SpfRecordParser.parse(text);
    }

    private static MacroString spec(String text) throws SpfSyntaxException {
        return MacroString.parseDomainSpec(text);
    }

    private static List<Mechanism> mechanisms(String text) throws SpfSyntaxException {
        return parse(text).directives().stream().map(Directive::mechanism).toList();
    }

    @Test
    void parsesEveryMechanismAndQualifier() throws SpfSyntaxException {
        SpfRecord record = parse("v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx//64 "
                + "mx:mx.example.com/28 ptr ptr:example.net ip4:192.0.2.0/24 ip6:2001:db8::/32 ip4:192.0.2.7 "
                + "exists:%{i}.bl.example.com");

        assertThat(record.directives()).extracting(Directive::qualifier).containsExactly(
                Qualifier.PASS, Qualifier.FAIL, Qualifier.SOFTFAIL, Qualifier.NEUTRAL, Qualifier.PASS, Qualifier.PASS,
                Qualifier.PASS, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS);
        assertThat(record.directives()).extracting(Directive::mechanism).containsExactly(
                new All(),
                new Include(spec("_spf.example.com")),
                new A(null, 32, 128),
                new A(spec("mail.example.com"), 24, 64),
                new Mx(null, 32, 64),
                new Mx(spec("mx.example.com"), 28, 128),
                new Ptr(null),
                new Ptr(spec("example.net")),
                new Ip4(new CidrNetwork(new byte[] {(byte) 192, 0, 2, 0}, 24)),
                new Ip6(new CidrNetwork(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 32)),
                new Ip4(new CidrNetwork(new byte[] {(byte) 192, 0, 2, 7}, 32)),
                new Exists(spec("%{i}.bl.example.com")));
        assertThat(record.redirect()).isNull();
        assertThat(record.explanation()).isNull();
    }

    @Test
    void modifiersMayAppearAnywhereAndUnknownOnesAreDropped() throws SpfSyntaxException {
        SpfRecord record = parse("v=spf1 redirect=_spf.example.com  moo.cow-far_out=man:dog/cat ip4:192.0.2.1 "
                + "default=pass exp=explain.%{d} -all   ");

        assertThat(record.redirect()).isEqualTo(spec("_spf.example.com"));
        assertThat(record.explanation()).isEqualTo(spec("explain.%{d}"));
        assertThat(record.directives()).extracting(Directive::text).containsExactly("ip4:192.0.2.1", "-all");
    }

    @Test
    void namesAreCaseInsensitive() throws SpfSyntaxException {
        assertThat(mechanisms("V=SPF1 A MX:EXAMPLE.COM IP4:192.0.2.1 Include:example.net PTR ExIsTs:example.org -ALL"))
                .containsExactly(new A(null, 32, 128), new Mx(spec("EXAMPLE.COM"), 32, 128),
                        new Ip4(new CidrNetwork(new byte[] {(byte) 192, 0, 2, 1}, 32)), new Include(spec("example.net")),
                        new Ptr(null), new Exists(spec("example.org")), new All());
        assertThat(parse("v=spf1 REDIRECT=example.com").redirect()).isEqualTo(spec("example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 a:foo:bar/baz.example.com",            // ':' and '/' are macro-literals
            "v=spf1 a:foo.example.xn--zckzah -all",        // hyphens inside a top label
            "v=spf1 a:abc.123-456",                        // all digits is fine with a hyphen
            "v=spf1 include:o.spf.example.com. ~all",      // one trailing dot
            "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
            "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d}",      // ends in a macro
            "v=spf1 exists:%{d}.example.%%",               // ends in an escape
            "v=spf1 ip6:::1.1.1.1/0 ip6:Cafe:Babe:8000::/33 ip6::: ip6:::ffff:192.0.2.1",
            "v=spf1 ip4:0.0.0.0/0 ip4:255.255.255.255/32",
            "v=spf1 a/0 a//0 mx/0//0 a:example.com//128",
            "v=spf1 default=+ foo= bar=%{c}%{r}%{t}",       // unknown modifiers only need a valid macro-string
            "v=spf1 exists:%{D4R.-+,/_=}.example.com exists:%{l999999999999}.example.com",
    })
    void acceptsValidEdgeCases(String record) throws SpfSyntaxException {
        String[] terms = record.substring(7).trim().split(" +");
        SpfRecord parsed = parse(record);
        long modifiers = java.util.Arrays.stream(terms).filter(t -> t.matches("[A-Za-z][A-Za-z0-9_.-]*=.*")).count();
        assertThat(parsed.directives()).hasSize(terms.length - (int) modifiers);
    }

    @Test
    void dualCidrAndDomainWithSlashesAreTakenApartFromTheRight() throws SpfSyntaxException {
        assertThat(mechanisms("v=spf1 a:foo:bar/baz.example.com/24//64"))
                .containsExactly(new A(spec("foo:bar/baz.example.com"), 24, 64));
    }

    static Stream<Arguments> malformedRecords() {
        String known = " (known: all, include, a, mx, ptr, ip4, ip6, exists)";
        String notDomain = " is not a domain: it must end in a dot and a top-level label "
                + "(letters, digits and inner hyphens, not all digits) or in a macro";
        String badMacro = "' must be followed by '{', '%', '_' or '-'";
        return Stream.of(
                Arguments.of("v=spf1 ip4:1.2.3.4 -all moo", "'moo': unknown mechanism 'moo'" + known),
                Arguments.of("v=spf1 -all.", "'-all.': unknown mechanism 'all.'" + known),
                Arguments.of("v=spf1 -all:foobar", "'-all:foobar': all takes no argument"),
                Arguments.of("v=spf1 -all/8", "'-all/8': all takes no argument"),
                Arguments.of("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all", "'moo.cow/far_out=man:dog/cat': unknown mechanism 'moo.cow'" + known),
                Arguments.of("v=spf1 1up=foo", "'1up=foo': unknown mechanism '1up=foo'" + known),
                Arguments.of("v=spf1 =all", "'=all': unknown mechanism '=all'" + known),
                Arguments.of("v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "'redirect:t2.example.com': redirect is a modifier and is written redirect=domain"),
                Arguments.of("v=spf1 redirect=a.example.com -all redirect=a.example.com", "redirect= appears twice; it may appear at most once"),
                Arguments.of("v=spf1 exp=a.example.com -all exp=b.example.com", "exp= appears twice; it may appear at most once"),
                Arguments.of("v=spf1 exp= -all", "'exp=': a domain is missing"),
                Arguments.of("v=spf1 ?all redirect=", "'redirect=': a domain is missing"),
                Arguments.of("v=spf1 exp=-all", "'exp=-all': '-all'" + notDomain),
                Arguments.of("v=spf1 -all foo=%abc", "'foo=%abc': '%abc' has an invalid macro '%a': a '%" + badMacro),
                Arguments.of("v=spf1 include", "'include' needs ':' and a domain"),
                Arguments.of("v=spf1 include: -all", "'include:': a domain is missing"),
                Arguments.of("v=spf1 include:ip5.example.com/24 -all", "'include:ip5.example.com/24': 'ip5.example.com/24'" + notDomain),
                Arguments.of("v=spf1 exists", "'exists' needs ':' and a domain"),
                Arguments.of("v=spf1 exists:", "'exists:': a domain is missing"),
                Arguments.of("v=spf1 exists:mail.example.com/24", "'exists:mail.example.com/24': 'mail.example.com/24'" + notDomain),
                Arguments.of("v=spf1 a:", "'a:': the domain after ':' is missing"),
                Arguments.of("v=spf1 mx: -all", "'mx:': the domain after ':' is missing"),
                Arguments.of("v=spf1 ptr:", "'ptr:': a domain is missing"),
                Arguments.of("v=spf1 ptr/0 -all", "'ptr/0': ptr takes no CIDR length"),
                Arguments.of("v=spf1 a:museum", "'a:museum': 'museum'" + notDomain),
                Arguments.of("v=spf1 a:museum.", "'a:museum.': 'museum.'" + notDomain),
                Arguments.of("v=spf1 a:foo-bar -all", "'a:foo-bar': 'foo-bar'" + notDomain),
                Arguments.of("v=spf1 a:111.222.33.44", "'a:111.222.33.44': '111.222.33.44'" + notDomain),
                Arguments.of("v=spf1 mx:abc.123", "'mx:abc.123': 'abc.123'" + notDomain),
                Arguments.of("v=spf1 a:example.-com", "'a:example.-com': 'example.-com'" + notDomain),
                Arguments.of("v=spf1 mx:example.com:8080", "'mx:example.com:8080': 'example.com:8080'" + notDomain),
                Arguments.of("v=spf1 a:example.com..", "'a:example.com..': 'example.com..'" + notDomain),
                Arguments.of("v=spf1 a/33 -all", "'a/33': CIDR length 33 is over 32"),
                Arguments.of("v=spf1 a//129 -all", "'a//129': CIDR length 129 is over 128"),
                Arguments.of("v=spf1 mx//33/ -all", "'mx//33/': '//33/' is not a CIDR length; write /24, //64 or /24//64"),
                Arguments.of("v=spf1 a/24/64 -all", "'a/24/64': '/24/64' is not a CIDR length; write /24, //64 or /24//64"),
                Arguments.of("v=spf1 a:example.com/24/64", "'a:example.com/24/64': two CIDR lengths are written /IPV4//IPV6, e.g. /24//64"),
                Arguments.of("v=spf1 a:example.com/024", "'a:example.com/024': CIDR length '024' has a leading zero"),
                Arguments.of("v=spf1 ip4:1.2.3.4/032 -all", "'ip4:1.2.3.4/032': CIDR length '032' has a leading zero"),
                Arguments.of("v=spf1 ip4:1.2.3.4/33 -all", "'ip4:1.2.3.4/33': CIDR length 33 is over 32"),
                Arguments.of("v=spf1 ip4:1.2.3.4//32", "'ip4:1.2.3.4//32': '/32' is not a CIDR length"),
                Arguments.of("v=spf1 ip4:1.2.3.4/", "'ip4:1.2.3.4/': '' is not a CIDR length"),
                Arguments.of("v=spf1 ip4", "'ip4' needs ':' and an IPv4 network"),
                Arguments.of("v=spf1 ip4:1.2.3", "'ip4:1.2.3': '1.2.3' is not an IPv4 address (four decimal octets 0-255, no leading zeros)"),
                Arguments.of("v=spf1 ip4:1.2.3.4:8080", "'ip4:1.2.3.4:8080': '1.2.3.4:8080' is not an IPv4 address (four decimal octets 0-255, no leading zeros)"),
                Arguments.of("v=spf1 ip4:192.0.2.01", "'ip4:192.0.2.01': '192.0.2.01' is not an IPv4 address (four decimal octets 0-255, no leading zeros)"),
                Arguments.of("v=spf1 ip4:192.0.2.256", "'ip4:192.0.2.256': '192.0.2.256' is not an IPv4 address (four decimal octets 0-255, no leading zeros)"),
                Arguments.of("v=spf1 ip4:2001:db8::1", "'ip4:2001:db8::1': '2001:db8::1' is not an IPv4 address (four decimal octets 0-255, no leading zeros)"),
                Arguments.of("v=spf1 -all ip6", "'ip6' needs ':' and an IPv6 network"),
                Arguments.of("v=spf1 ip6::CAFE::BABE", "'ip6::CAFE::BABE': ':CAFE::BABE' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:1:2:3:4:5:6:7", "'ip6:1:2:3:4:5:6:7': '1:2:3:4:5:6:7' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:1:2:3:4:5:6:7:8:9", "'ip6:1:2:3:4:5:6:7:8:9': '1:2:3:4:5:6:7:8:9' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:12345::1", "'ip6:12345::1': '12345::1' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:192.0.2.1", "'ip6:192.0.2.1': '192.0.2.1' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:::1%eth0", "'ip6:::1%eth0': '::1%eth0' is not an IPv6 address"),
                Arguments.of("v=spf1 ip6:::1.1.1.1/129", "'ip6:::1.1.1.1/129': CIDR length 129 is over 128"),
                Arguments.of("v=spf1 ip6:::1.1.1.1//33", "'ip6:::1.1.1.1//33': '/33' is not a CIDR length"),
                Arguments.of("v=spf1 exists:%{t}.example.com", "'exists:%{t}.example.com': macro '%{t}' is allowed only in explanation text (RFC 7208 7.2)"),
                Arguments.of("v=spf1 -all exp=%{r}.example.com", "'exp=%{r}.example.com': macro '%{r}' is allowed only in explanation text (RFC 7208 7.2)"),
                Arguments.of("v=spf1 a:%{C}.example.com", "'a:%{C}.example.com': macro '%{C}' is allowed only in explanation text (RFC 7208 7.2)"),
                Arguments.of("v=spf1 a:%{a}.example.com -all", "'a:%{a}.example.com': unknown macro letter in '%{a}' (RFC 7208 7.2: s l o d i p v h, and c r t in explanations)"),
                Arguments.of("v=spf1 exists:%{}.example.com", "'exists:%{}.example.com': empty macro '%{}'"),
                Arguments.of("v=spf1 exists:%{d0}.example.com", "'exists:%{d0}.example.com': macro '%{d0}' keeps zero parts; the number must be nonzero"),
                Arguments.of("v=spf1 exists:%{ir:}.example.com", "'exists:%{ir:}.example.com': macro '%{ir:}' has ':' where a delimiter (. - + , / _ =) or '}' belongs"),
                Arguments.of("v=spf1 exists:%{i", "'exists:%{i': '%{i' has an unclosed macro '%{i'"),
                Arguments.of("v=spf1 -exists:%(ir).sbl.example.com ?all", "'-exists:%(ir).sbl.example.com': '%(ir).sbl.example.com' has an invalid macro '%(': a '%" + badMacro),
                Arguments.of("v=spf1 exists:foo%.sbl.example.com ?all", "'exists:foo%.sbl.example.com': 'foo%.sbl.example.com' has an invalid macro '%.': a '%" + badMacro),
                Arguments.of("v=spf1 exists:%{i}.example.com%", "'exists:%{i}.example.com%': '%{i}.example.com%' ends in a lone '%' (write %% for a percent sign)"),
                Arguments.of("v=spf1 a:ctrl.example.com\rptr -all", "the record has the character U+000D at position 25; only printable US-ASCII is allowed, and terms are separated by spaces only"),
                Arguments.of("v=spf1\ta -all", null), // not an SPF record at all: see notARecord
                Arguments.of("v=spf1 a:foo.example.com\0", "the record has the character U+0000 at position 24; only printable US-ASCII is allowed, and terms are separated by spaces only"),
                Arguments.of("v=spf1 a:\u00efgarbage.example.net -all", "the record has the character U+00EF at position 9; only printable US-ASCII is allowed, and terms are separated by spaces only"),
                Arguments.of("v=spf1 \u0080a:example.net -all", "the record has the character U+0080 at position 7; only printable US-ASCII is allowed, and terms are separated by spaces only"))
                .filter(a -> a.get()[1] != null);
    }

    @ParameterizedTest
    @MethodSource("malformedRecords")
    void malformedRecordIsPermerrorWithAPreciseProblem(String record, String problem) {
        assertThatThrownBy(() -> parse(record)).isInstanceOf(SpfSyntaxException.class).hasMessage(problem);

        SpfResult result = SpfTesting.withRecord(new MemoryResolver(), "example.com", record, "1.2.3.4");
        assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
        assertThat(result.problem()).isEqualTo("SPF record of example.com: " + problem);
    }

    @Test
    void aSyntaxErrorAfterAMatchingMechanismIsStillPermerror() {
        // Section 4.6: the whole record is checked before any of it is evaluated.
        SpfResult result = SpfTesting.withRecord(new MemoryResolver(), "example.com", "v=spf1 +all ip4:1.2.3", "1.2.3.4");
        assertThat(result.kind()).isEqualTo(Kind.PERMERROR);
    }

    @Test
    void notARecord() {
        assertThatThrownBy(() -> parse("v=spf1\ta -all")).hasMessage("the record does not start with 'v=spf1'");
        assertThat(SpfRecordParser.isSpfRecord("v=spf1\ta -all")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord("v=spf1")).isTrue();
        assertThat(SpfRecordParser.isSpfRecord("v=spf1 ")).isTrue();
        assertThat(SpfRecordParser.isSpfRecord("v=spf10")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord("v=spf")).isFalse();
    }
}
