package dev.petrel.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientEhloCapabilitiesTest {
    private static ClientReply ehlo(String... keywords) {
        List<String> lines = new ArrayList<>();
        lines.add("250" + (keywords.length == 0 ? " " : "-") + "mx.example Hello");
        for (int i = 0; i < keywords.length; i++) lines.add("250" + (i == keywords.length - 1 ? " " : "-") + keywords[i]);
        return ClientReply.of(250, lines);
    }

    @Test
    void readsEveryKeywordPetrelUses() {
        EhloCapabilities c = EhloCapabilities.parse(ehlo("PIPELINING", "SIZE 10240000", "8BITMIME", "SMTPUTF8",
                "STARTTLS", "AUTH PLAIN LOGIN", "CHUNKING", "DSN", "ENHANCEDSTATUSCODES"));
        assertThat(c).isEqualTo(new EhloCapabilities(true, true, 10_240_000, true, true, true,
                java.util.Set.of("PLAIN", "LOGIN"), true, true, true));
    }

    @Test
    void keywordsAreCaseInsensitiveAndUnknownOnesIgnored() {
        EhloCapabilities c = EhloCapabilities.parse(ehlo("pipelining", "X-WHATEVER 1 2", "auth=plain cram-md5", "starttls"));
        assertThat(c.pipelining()).isTrue();
        assertThat(c.startTls()).isTrue();
        assertThat(c.authMechanisms()).containsExactlyInAnyOrder("PLAIN", "CRAM-MD5");
        assertThat(c.smtpUtf8()).isFalse();
    }

    @Test
    void sizeWithoutOrWithABadLimit() {
        assertThat(EhloCapabilities.parse(ehlo("SIZE"))).satisfies(c -> {
            assertThat(c.size()).isTrue();
            assertThat(c.sizeLimit()).isZero();
        });
        assertThat(EhloCapabilities.parse(ehlo("SIZE lots")).sizeLimit()).isZero();
        assertThat(EhloCapabilities.parse(ehlo("SIZE -5")).sizeLimit()).isZero();
        assertThat(EhloCapabilities.parse(ehlo("8BITMIME")).size()).isFalse();
    }

    @Test
    void theGreetingLineIsNotAKeywordAndEmptyLinesAreSkipped() {
        EhloCapabilities c = EhloCapabilities.parse(ClientReply.of(250, List.of("250-PIPELINING", "250-", "250 DSN")));
        assertThat(c.pipelining()).isFalse();
        assertThat(c.dsn()).isTrue();
        assertThat(EhloCapabilities.parse(ehlo())).isEqualTo(EhloCapabilities.none());
    }
}
