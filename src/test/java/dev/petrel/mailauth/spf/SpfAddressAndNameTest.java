package dev.petrel.mailauth.spf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.petrel.mailauth.spf.SpfTesting.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The address and name rules behind sections 4.3 (valid domains), 5.6 (ip4/ip6 networks) and 7.3
 * ({@code %{i}} and {@code %{c}} text), checked directly.
 */
class SpfAddressAndNameTest {

    @ParameterizedTest
    @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",      // RFC 5952 4.2.3: the first of equal runs
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",            // 4.2.3: the longest run
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",   // 4.2.2: one zero group is not shortened
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "CAFE:BABE::1, cafe:babe::1",                   // 4.3: lower case
            "192.0.2.3, 192.0.2.3",
            "::ffff:192.0.2.3, 192.0.2.3",                  // IPv4-mapped is IPv4
    })
    void readableForm(String literal, String expected) {
        assertThat(IpAddresses.readable(IpAddresses.normalize(ip(literal)))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "192.0.2.3, 192.0.2.3",
            "2001:db8::cb01, 2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
    })
    void dottedForm(String literal, String expected) {
        assertThat(IpAddresses.dotted(ip(literal))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "::, 00000000000000000000000000000000",
            "::1, 00000000000000000000000000000001",
            "1::, 00010000000000000000000000000000",
            "1:2:3:4:5:6:7:8, 00010002000300040005000600070008",
            "1:2:3:4:5:6::8, 00010002000300040005000600000008",
            "1::8, 00010000000000000000000000000008",
            "::ffff:192.0.2.1, 00000000000000000000ffffc0000201",
            "::1.1.1.1, 00000000000000000000000001010101",
            "1:2:3:4:5:6:192.0.2.1, 000100020003000400050006c0000201",
            "FFFF:ffff::, ffffffff000000000000000000000000",
    })
    void ip6TextForms(String text, String hex) {
        assertThat(java.util.HexFormat.of().formatHex(IpAddresses.parseIp6(text))).isEqualTo(hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::8", "12345::", "g::1", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::01.2.3.4", "::1%1", " ::1"})
    void invalidIp6TextForms(String text) {
        assertThat(IpAddresses.parseIp6(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1.2.3.-1", "1.2.3.a", "1..3.4", "1.2.3.4 ", "+1.2.3.4"})
    void invalidIp4TextForms(String text) {
        assertThat(IpAddresses.parseIp4(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "example.com, true",
            "a.b, true",
            "_spf.example.com, true",
            "xn--bcher-kva.example, true",
            "com, false",
            "'', false",
            "a..b.com, false",
            ".example.com, false",
            "[192.0.2.1], false",
            "192.0.2.1, false",
            "exa mple.com, false",
    })
    void validDomainsForCheckHost(String name, boolean valid) {
        assertThat(DomainNames.isValidDomain(name)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({
            "mail.example.com, example.com, true",
            "example.com, example.com, true",
            "Mail.Example.COM., example.com, true",
            "badexample.com, example.com, false",
            "example.com, mail.example.com, false",
    })
    void subdomains(String name, String parent, boolean below) {
        assertThat(DomainNames.isSameOrSubdomain(name, parent)).isEqualTo(below);
    }
}
