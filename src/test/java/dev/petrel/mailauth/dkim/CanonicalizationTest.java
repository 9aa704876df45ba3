package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.mailauth.MailMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6376 section 3.4, starting with its own example (3.4.5). */
class CanonicalizationTest {
    /** Section 3.4.5's message: two fields with odd white space, a body with trailing spaces and empty lines. */
    static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    static String header(Canonicalization c, String raw) {
        return new String(c.header(raw.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    static String body(Canonicalization c, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return new String(c.body(b, 0, b.length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfcExampleRelaxed() {
        MailMessage m = MailMessage.parse(EXAMPLE.getBytes(StandardCharsets.US_ASCII));
        assertThat(header(Canonicalization.RELAXED, "A: X\r\n")).isEqualTo("a:X\r\n");
        assertThat(new String(Canonicalization.RELAXED.header(m.headers().get(1).raw()), StandardCharsets.US_ASCII))
                .isEqualTo("b:Y Z\r\n");
        assertThat(new String(Canonicalization.RELAXED.body(m.bytes(), m.bodyOffset(), m.bodyLength()), StandardCharsets.US_ASCII))
                .isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void rfcExampleSimple() {
        MailMessage m = MailMessage.parse(EXAMPLE.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(Canonicalization.SIMPLE.header(m.headers().get(1).raw()), StandardCharsets.US_ASCII))
                .isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(new String(Canonicalization.SIMPLE.body(m.bytes(), m.bodyOffset(), m.bodyLength()), StandardCharsets.US_ASCII))
                .isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodyIsOneCrlfSimpleAndNothingRelaxed() {
        for (String empty : new String[] {"", "\r\n", "\r\n\r\n\r\n"}) {
            assertThat(body(Canonicalization.SIMPLE, empty)).as("simple %s", empty.length()).isEqualTo("\r\n");
            assertThat(body(Canonicalization.RELAXED, empty)).as("relaxed %s", empty.length()).isEmpty();
        }
        // Lines of white space only are empty lines for relaxed (and then trailing), not for simple.
        assertThat(body(Canonicalization.RELAXED, "  \r\n\t\r\n")).isEmpty();
        assertThat(body(Canonicalization.SIMPLE, "  \r\n\t\r\n")).isEqualTo("  \r\n\t\r\n");
    }

    @Test
    void missingFinalLineEndIsAdded() {
        assertThat(body(Canonicalization.SIMPLE, "last line")).isEqualTo("last line\r\n");
        assertThat(body(Canonicalization.RELAXED, "last line  ")).isEqualTo("last line\r\n");
    }

    @Test
    void emptyLinesInsideTheBodyStay() {
        assertThat(body(Canonicalization.SIMPLE, "a\r\n\r\n\r\nb\r\n\r\n")).isEqualTo("a\r\n\r\n\r\nb\r\n");
        assertThat(body(Canonicalization.RELAXED, "a\r\n \r\n\t\r\nb\r\n \r\n")).isEqualTo("a\r\n\r\n\r\nb\r\n");
    }

    @Test
    void relaxedBodyKeepsLeadingWhiteSpaceAsOneSpace() {
        assertThat(body(Canonicalization.RELAXED, "\t\t  indented\t \tword  \r\n")).isEqualTo(" indented word\r\n");
    }

    @Test
    void bareLineFeedsCountAsCrlf() {
        assertThat(body(Canonicalization.SIMPLE, "a\nb\n\n")).isEqualTo("a\r\nb\r\n");
        assertThat(body(Canonicalization.RELAXED, "a \nb\n\n")).isEqualTo("a\r\nb\r\n");
        assertThat(header(Canonicalization.SIMPLE, "Subject: a\n b\n")).isEqualTo("Subject: a\r\n b\r\n");
        assertThat(header(Canonicalization.RELAXED, "Subject: a\n b\n")).isEqualTo("subject:a b\r\n");
    }

    @Test
    void relaxedHeaderLowerCasesOnlyTheName() {
        assertThat(header(Canonicalization.RELAXED, "SUBJECT :  Hello  World \r\n")).isEqualTo("subject:Hello World\r\n");
        assertThat(header(Canonicalization.RELAXED, "X-Empty:\r\n")).isEqualTo("x-empty:\r\n");
        assertThat(header(Canonicalization.RELAXED, "X-Empty:   \r\n  \r\n")).isEqualTo("x-empty:\r\n");
    }

    @Test
    void eightBitBytesPassThroughUnchanged() {
        byte[] raw = "Subject:  Gr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] expected = "subject:Gr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(Canonicalization.RELAXED.header(raw)).isEqualTo(expected);
    }

    @Test
    void tagValuesRoundTrip() {
        for (Canonicalization c : Canonicalization.values()) {
            assertThat(Canonicalization.fromTagValue(c.tagValue())).isEqualTo(c);
        }
        assertThat(Canonicalization.fromTagValue("Relaxed")).isEqualTo(Canonicalization.RELAXED);
        assertThat(Canonicalization.fromTagValue("nowsp")).isNull();
    }
}
