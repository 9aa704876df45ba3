package dev.petrel.mailauth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MailMessageTest {
    private static MailMessage parse(String text) {
        return MailMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String raw(MailMessage.HeaderField f) {
        return new String(f.raw(), StandardCharsets.UTF_8);
    }

    @Test
    void splitsFoldedFieldsAndBody() {
        MailMessage m = parse("From: a@example.com\r\nSubject: one\r\n  two\r\nTo: b@example.org\r\n\r\nbody\r\n");
        assertThat(m.headers()).extracting(MailMessage.HeaderField::name).containsExactly("From", "Subject", "To");
        assertThat(raw(m.headers("subject").get(0))).isEqualTo("Subject: one\r\n  two\r\n");
        assertThat(m.headers("SUBJECT").get(0).value()).isEqualTo("one  two");
        assertThat(new String(m.bytes(), m.bodyOffset(), m.bodyLength(), StandardCharsets.UTF_8)).isEqualTo("body\r\n");
    }

    @Test
    void messageWithoutBodyOrSeparator() {
        MailMessage m = parse("From: a@example.com\r\nTo: b@example.org\r\n");
        assertThat(m.headers()).hasSize(2);
        assertThat(m.bodyLength()).isZero();
    }

    @Test
    void lineThatIsNotAFieldStartsTheBody() {
        MailMessage m = parse("From: a@example.com\r\nnot a field\r\nmore\r\n");
        assertThat(m.headers()).hasSize(1);
        assertThat(new String(m.bytes(), m.bodyOffset(), m.bodyLength(), StandardCharsets.UTF_8)).isEqualTo("not a field\r\nmore\r\n");
    }

    @Test
    void bareLineFeedsAreLineEndings() {
        MailMessage m = parse("From: a@example.com\nSubject: x\n\tcontinued\n\nbody\n");
        assertThat(m.headers()).hasSize(2);
        assertThat(m.headers("Subject").get(0).value()).isEqualTo("x\tcontinued");
        assertThat(m.bodyLength()).isEqualTo(5);
    }

    @Test
    void prependPutsFieldsOnTopInOrder() {
        MailMessage m = parse("From: a@example.com\r\n\r\nhi\r\n")
                .prepend(List.of(MailMessage.HeaderField.of("X-One", "1"), MailMessage.HeaderField.of("X-Two", "2")));
        assertThat(m.headers()).extracting(MailMessage.HeaderField::name).containsExactly("X-One", "X-Two", "From");
        assertThat(new String(m.bytes(), StandardCharsets.UTF_8)).isEqualTo("X-One: 1\r\nX-Two: 2\r\nFrom: a@example.com\r\n\r\nhi\r\n");
    }
}
