package dev.petrel.mailauth.dmarc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class OrganizationalDomainTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "example.com, example.com",
            "a.b.example.com, example.com",
            // a two-label ICANN suffix
            "mail.example.co.uk, example.co.uk",
            "example.co.uk, example.co.uk",
            // private PSL entries are boundaries: tenants are separate organizations
            "alice.github.io, alice.github.io",
            "www.alice.github.io, alice.github.io",
            "x.foo.blogspot.com, foo.blogspot.com",
            // a name that is itself a public suffix is its own Organizational Domain
            "co.uk, co.uk",
            "github.io, github.io",
            "com, com",
            // a TLD the list does not know: the default rule '*' makes the TLD the suffix
            "mail.example.unknowntld, example.unknowntld",
            "unknowntld, unknowntld",
            // wildcard and exception rules (*.ck, !www.ck)
            "a.b.example.ck, b.example.ck",
            "mail.www.ck, www.ck",
            // IDN TLD written as A-labels
            "mail.example.xn--fiqs8s, example.xn--fiqs8s",
    })
    void followsThePublicSuffixList(String domain, String organizational) {
        assertThat(OrganizationalDomain.of(domain)).isEqualTo(organizational);
    }
}
