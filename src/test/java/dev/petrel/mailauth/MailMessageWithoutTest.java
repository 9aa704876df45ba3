package dev.petrel.mailauth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MailMessageWithoutTest {
    private static MailMessage parse(String text) {
        return MailMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(MailMessage m) {
        return new String(m.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void dropsMatchingFoldedFieldsAndKeepsTheRestByteForByte() {
        MailMessage m = parse("X-A: 1\r\nSubject: one\r\n\ttwo\r\nX-a: 2\r\nTo: b@example.org\r\n\r\nX-A: body\r\n");
        MailMessage without = m.without(f -> f.is("x-a") || f.is("subject"));
        assertThat(text(without)).isEqualTo("To: b@example.org\r\n\r\nX-A: body\r\n");
        assertThat(without.headers()).extracting(MailMessage.HeaderField::name).containsExactly("To");
        assertThat(new String(without.bytes(), without.bodyOffset(), without.bodyLength(), StandardCharsets.UTF_8)).isEqualTo("X-A: body\r\n");
    }

    @Test
    void bareLfMessagesAndMessagesWithoutBody() {
        assertThat(text(parse("X-A: 1\nTo: b@example.org\n\nbody\n").without(f -> f.is("X-A")))).isEqualTo("To: b@example.org\n\nbody\n");
        assertThat(text(parse("To: b@example.org\r\nX-A: 1\r\n").without(f -> f.is("X-A")))).isEqualTo("To: b@example.org\r\n");
    }

    @Test
    void nothingMatchingReturnsTheSameMessage() {
        MailMessage m = parse("To: b@example.org\r\n\r\nbody");
        assertThat(m.without(f -> f.is("X-A"))).isSameAs(m);
    }
}
