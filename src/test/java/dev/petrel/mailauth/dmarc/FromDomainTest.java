package dev.petrel.mailauth.dmarc;

import dev.petrel.mailauth.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FromDomainTest {
    /** {@code header} is one or more header lines; a literal backslash-r-backslash-n in it (CSV rows cannot hold line breaks) is a CRLF. */
    private static FromDomain.Outcome from(String header) {
        return FromDomain.of(MailMessage.parse((header.replace("\\r\\n", "\r\n") + "\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "From: alice@example.com|example.com",
            "From: Alice Example <alice@Mail.EXAMPLE.com>|mail.example.com",
            "From: \"Example, Inc. <ceo@evil.example>\" <ceo@example.com>|example.com",
            "From: (evil@evil.example) alice@example.com (Alice)|example.com",
            "From: alice(comment)@(more (nested) comment)example.com|example.com",
            "From: Alice\\r\\n <alice@example.com>|example.com",
            "From: =?utf-8?q?boss=40evil.example?= <alice@example.com>|example.com",
            "From: \"alice smith\"@example.com|example.com",
            "From: <@relay.evil.example:alice@example.com>|example.com",
            "From: Team: alice@example.com, bob@EXAMPLE.com;|example.com",
            "From: alice@example.com, , bob@example.com|example.com",
            "From: alice@bücher.example|xn--bcher-kva.example",
            "From : alice@example.com|example.com",
    })
    void findsTheOneDomain(String header, String domain) {
        assertThat(from(header)).isEqualTo(new FromDomain.Found(domain));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Sender: alice@example.com|no From field",
            "From: alice@example.com\\r\\nFrom: mallory@evil.example|2 From fields",
            "From: alice@example.com, mallory@evil.example|From field has addresses in 2 domains: example.com, evil.example",
            "From: undisclosed-senders:;|From field has no address",
            "From: alice@[192.0.2.1]|From address domain is not a DNS domain name: [192.0.2.1]",
            "From: Alice alice@example.com|From field is not an address list: words before an address without '<'",
            "From: Alice <alice@example.com|From field is not an address list: expected '>'",
            "From: \"Alice <alice@example.com>|From field is not an address list: unclosed quoted string",
            "From: alice|From field is not an address list: words without an address",
            "From: alice@example..com|From field is not an address list: bad domain",
            "From: alice@exa$mple.com|From address domain is not a DNS domain name: exa$mple.com",
    })
    void refusesAnythingButOneDomain(String header, String problem) {
        assertThat(from(header)).isEqualTo(new FromDomain.Invalid(problem));
    }
}
