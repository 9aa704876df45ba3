package dev.petrel.delivery.mtasts;

import dev.petrel.delivery.mtasts.StsPolicy.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy text (RFC 8461 section 3.2): what is accepted, what is refused, and mx pattern matching. */
class StsPolicyParserTest {
    @Test
    void parsesTheRfcExampleWithCrlf() throws Exception {
        StsPolicy p = StsPolicyParser.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertThat(p).isEqualTo(new StsPolicy(Mode.ENFORCE,
                List.of("mail.example.com", "*.example.net", "backupmx.example.com"), Duration.ofDays(7)));
    }

    @Test
    void acceptsLfUnknownKeysSpacesAndUpperCaseMx() throws Exception {
        StsPolicy p = StsPolicyParser.parse("version:STSv1\nmode:  testing\nextension: whatever it says\nmx: MX.Example.COM.\nmax_age: 0");
        assertThat(p.mode()).isEqualTo(Mode.TESTING);
        assertThat(p.mxPatterns()).containsExactly("mx.example.com");
        assertThat(p.maxAge()).isZero();
    }

    @Test
    void modeNoneNeedsNoMx() throws Exception {
        assertThat(StsPolicyParser.parse("version: STSv1\nmode: none\nmax_age: 86400\n").mode()).isEqualTo(Mode.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "mode: enforce\nmx: a.example\nmax_age: 1",                               // no version
            "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1",               // wrong version
            "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1",                // unknown mode
            "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1",               // modes are case-sensitive
            "version: STSv1\nmode: enforce\nmax_age: 1",                              // enforce without mx
            "version: STSv1\nmode: enforce\nmx: a.example",                           // no max_age
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601",        // over a year
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1 day",
            "version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 1",    // twice
            "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1",             // wildcard beyond one label
            "version: STSv1\nmode: enforce\nmx: mx.*.example\nmax_age: 1",
            "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 1",               // not a host name with a dot
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nthis line has no colon",
            "<html><body>Not found</body></html>",
    })
    void refusesBrokenPolicies(String text) {
        assertThatThrownBy(() -> StsPolicyParser.parse(text)).isInstanceOf(InvalidPolicyException.class);
    }

    @Test
    void boundsTheNumberOfMxLinesAndLines() {
        String many = "version: STSv1\nmode: enforce\nmax_age: 1\n" + "mx: a.example\n".repeat(StsPolicyParser.MAX_MX + 1);
        assertThatThrownBy(() -> StsPolicyParser.parse(many)).hasMessageContaining("mx lines");
        String long_ = "version: STSv1\nmode: enforce\nmax_age: 1\nmx: a.example\n" + "x: y\n".repeat(StsPolicyParser.MAX_LINES);
        assertThatThrownBy(() -> StsPolicyParser.parse(long_)).hasMessageContaining("lines");
    }

    @Test
    void wildcardMatchesExactlyOneLeftMostLabel() {
        StsPolicy p = new StsPolicy(Mode.ENFORCE, List.of("*.example.net", "mail.example.com"), Duration.ofDays(1));
        assertThat(p.allows("mx1.example.net")).isTrue();
        assertThat(p.allows("MX1.Example.NET.")).isTrue();
        assertThat(p.allows("example.net")).isFalse();
        assertThat(p.allows("a.b.example.net")).isFalse();
        assertThat(p.allows("mx1.example.net.evil.test")).isFalse();
        assertThat(p.allows("mxexample.net")).isFalse();
        assertThat(p.allows("mail.example.com")).isTrue();
        assertThat(p.allows("mx.mail.example.com")).as("no implicit wildcard").isFalse();
    }
}
