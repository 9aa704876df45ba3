package dev.petrel.inbox;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MimeReaderTest {
    @Test
    void readsAddressesBodiesAndAttachmentsOfAMultipartMessage() {
        byte[] raw = TestMail.mail().cc("Carol <carol@example.net>, dave@example.net").html("<p>Your <b>code</b></p>")
                .attachment("invoice.pdf").bytes();

        ParsedMessage parsed = MimeReader.parse(raw);

        assertThat(parsed.from()).isEqualTo(new MailboxAddress("Alice Example", "alice@example.com"));
        assertThat(parsed.to()).containsExactly(new MailboxAddress("Bob", "bob@example.org"));
        assertThat(parsed.cc()).containsExactly(new MailboxAddress("Carol", "carol@example.net"), new MailboxAddress("", "dave@example.net"));
        assertThat(parsed.subject()).isEqualTo("Hello");
        assertThat(parsed.messageId()).isEqualTo("m1@example.com");
        assertThat(parsed.date()).isEqualTo(java.time.OffsetDateTime.parse("2026-07-14T10:15:00+02:00"));
        // The CRLF before a boundary belongs to the boundary (RFC 2046 section 5.1.1), so the body ends without it.
        assertThat(parsed.text()).isEqualTo("Hello Bob,\r\nyour code is 123456.");
        assertThat(parsed.html()).isEqualTo("<p>Your <b>code</b></p>");
        assertThat(parsed.attachments()).containsExactly(
                new AttachmentInfo("2", "invoice.pdf", "application/pdf", "", TestMail.PDF_BYTES.length));
        assertThat(parsed.inline()).isEmpty();
        assertThat(parsed.headers()).extracting(HeaderField::name)
                .containsExactly("From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type");
    }

    @Test
    void partIdsFollowTheMimeTreeAndReturnDecodedContent() {
        byte[] raw = TestMail.mail().html("<img src=\"cid:logo@example.com\">").inlineImage().attachment("a.pdf").bytes();

        ParsedMessage parsed = MimeReader.parse(raw);

        assertThat(parsed.inline()).containsExactly(
                new AttachmentInfo("1.2.2", "", "image/png", "logo@example.com", TestMail.PNG_BYTES.length));
        assertThat(MimeReader.part(raw, "1.2.2")).hasValueSatisfying(p -> {
            assertThat(p.content()).isEqualTo(TestMail.PNG_BYTES);
            assertThat(p.contentType()).isEqualTo("image/png");
        });
        assertThat(MimeReader.part(raw, "2")).hasValueSatisfying(p -> {
            assertThat(p.content()).isEqualTo(TestMail.PDF_BYTES);
            assertThat(p.fileName()).isEqualTo("a.pdf");
        });
        assertThat(MimeReader.part(raw, "1.1")).hasValueSatisfying(p ->
                assertThat(new String(p.content(), StandardCharsets.UTF_8)).contains("your code is 123456."));
        assertThat(MimeReader.part(raw, "1")).as("a multipart container is not a part with content").isEmpty();
        assertThat(MimeReader.part(raw, "3")).isEmpty();
        assertThat(MimeReader.part(raw, "x")).isEmpty();
    }

    @Test
    void decodesEncodedWordsAndQuotedPrintableAndKeepsASinglePartMessageAsPartOne() {
        String message = "From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.de>\r\nTo: x@example.org\r\n"
                + "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nSch=C3=B6n =\r\nhier\r\n";

        ParsedMessage parsed = MimeReader.parse(message.getBytes(StandardCharsets.US_ASCII));

        assertThat(parsed.from()).isEqualTo(new MailboxAddress("Jürgen", "j@example.de"));
        assertThat(parsed.subject()).isEqualTo("Grüße");
        assertThat(parsed.text()).isEqualTo("Schön hier\r\n");
        assertThat(MimeReader.part(message.getBytes(StandardCharsets.US_ASCII), "1")).hasValueSatisfying(p ->
                assertThat(new String(p.content(), StandardCharsets.UTF_8)).isEqualTo("Schön hier\r\n"));
    }

    @Test
    void aMessageWithoutHeadersOrWithGarbageStillParses() {
        ParsedMessage parsed = MimeReader.parse("no header here\r\njust text\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(parsed.from()).isNull();
        assertThat(parsed.subject()).isEmpty();
        assertThat(parsed.to()).isEmpty();
    }

    @Test
    void aDateWithACommentKeepsItsOffsetAndAnObsoleteZoneStillParses() {
        byte[] commented = "Date: Tue, 14 Jul 2026 10:15:00 -0700 (PDT)\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
        byte[] obsolete = "Date: 14 Jul 2026 10:15:00 EST\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
        byte[] garbage = "Date: next tuesday\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);

        assertThat(MimeReader.parse(commented).date()).isEqualTo(java.time.OffsetDateTime.parse("2026-07-14T10:15:00-07:00"));
        assertThat(MimeReader.parse(obsolete).date().toInstant()).isEqualTo(Instant.parse("2026-07-14T15:15:00Z"));
        assertThat(MimeReader.parse(garbage).date()).isNull();
    }

    @Test
    void anAttachedMessageIsOneAttachmentPart() {
        String message = "From: a@example.com\r\nTo: b@example.org\r\nSubject: Fwd: inner\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
                + "--b1\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: c@example.net\r\nSubject: inner\r\n\r\ninner body\r\n"
                + "--b1--\r\n";
        byte[] raw = message.getBytes(StandardCharsets.US_ASCII);

        ParsedMessage parsed = MimeReader.parse(raw);

        assertThat(parsed.text()).isEqualTo("see below");
        assertThat(parsed.attachments()).extracting(AttachmentInfo::partId, AttachmentInfo::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "message/rfc822"));
        assertThat(MimeReader.part(raw, "2")).hasValueSatisfying(p ->
                assertThat(new String(p.content(), StandardCharsets.US_ASCII)).contains("Subject: inner").contains("inner body"));
    }

    @Test
    void aPartIsServedWithItsMediaTypeAloneExceptATextPartsCharset() {
        String message = "From: a@example.com\r\nTo: b@example.org\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
                + "--b1\r\nContent-Type: Text/Plain; charset=\"ISO-8859-1\"; format=flowed\r\n\r\nGr\u00fc\u00dfe\r\n"
                + "--b1\r\nContent-Type: application/PDF; name=\"q3.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n"
                + "--b1\r\nContent-Type: text/csv; charset=\"x; y\"\r\n\r\na,b\r\n"
                + "--b1--\r\n";
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(MimeReader.part(raw, "1")).hasValueSatisfying(p -> {
            assertThat(p.contentType()).isEqualTo("text/plain; charset=iso-8859-1");
            assertThat(new String(p.content(), StandardCharsets.ISO_8859_1)).isEqualTo("Gr\u00fc\u00dfe");
        });
        assertThat(MimeReader.part(raw, "2")).hasValueSatisfying(p -> {
            assertThat(p.contentType()).as("no name= parameter, as Mailpit serves it").isEqualTo("application/pdf");
            assertThat(p.fileName()).isEqualTo("q3.pdf");
            assertThat(p.content()).isEqualTo("%PDF".getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(MimeReader.part(raw, "3")).as("a charset that is not a token is not echoed into an HTTP header")
                .hasValueSatisfying(p -> assertThat(p.contentType()).isEqualTo("text/csv"));
    }
}
