package dev.petrel.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds real MIME messages as bytes for the inbox tests: a plain one, or multipart/mixed holding a
 * multipart/alternative (text and HTML) and a base64 attachment, optionally with a
 * multipart/related inline image.
 */
public final class TestMail {
    public static final byte[] PDF_BYTES = "%PDF-1.4\n% test attachment body\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] PNG_BYTES = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    private String from = "Alice Example <alice@example.com>";
    private String to = "Bob <bob@example.org>";
    private String cc;
    private String subject = "Hello";
    private String messageId = "<m1@example.com>";
    private String text = "Hello Bob,\r\nyour code is 123456.\r\n";
    private String html;
    private String attachmentName;
    private boolean inlineImage;
    private final List<String> extraHeaders = new ArrayList<>();

    public static TestMail mail() {
        return new TestMail();
    }

    public TestMail from(String value) { this.from = value; return this; }
    public TestMail to(String value) { this.to = value; return this; }
    public TestMail cc(String value) { this.cc = value; return this; }
    public TestMail subject(String value) { this.subject = value; return this; }
    public TestMail messageId(String value) { this.messageId = value; return this; }
    public TestMail text(String value) { this.text = value; return this; }
    public TestMail html(String value) { this.html = value; return this; }
    public TestMail attachment(String fileName) { this.attachmentName = fileName; return this; }
    public TestMail inlineImage() { this.inlineImage = true; return this; }
    public TestMail header(String name, String value) { extraHeaders.add(name + ": " + value); return this; }

    public byte[] bytes() {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        if (cc != null) m.append("Cc: ").append(cc).append("\r\n");
        m.append("Subject: ").append(subject).append("\r\n");
        m.append("Date: Tue, 14 Jul 2026 10:15:00 +0200\r\n");
        m.append("Message-ID: ").append(messageId).append("\r\n");
        for (String h : extraHeaders) m.append(h).append("\r\n");
        m.append("MIME-Version: 1.0\r\n");
        if (html == null && attachmentName == null) {
            m.append("Content-Type: text/plain; charset=utf-8\r\n\r\n").append(text);
            return m.toString().getBytes(StandardCharsets.UTF_8);
        }
        m.append("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n");
        m.append("This is a multi-part message in MIME format.\r\n");
        m.append("--outer\r\n");
        m.append("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n");
        m.append("--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        m.append(text);
        m.append("--alt\r\n");
        if (inlineImage) {
            m.append("Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n");
            m.append("--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n").append(html == null ? "<p>hi</p>" : html).append("\r\n");
            m.append("--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@example.com>\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            m.append(Base64.getMimeEncoder().encodeToString(PNG_BYTES)).append("\r\n--rel--\r\n");
        } else {
            m.append("Content-Type: text/html; charset=utf-8\r\n\r\n").append(html == null ? "<p>hi</p>" : html).append("\r\n");
        }
        m.append("--alt--\r\n");
        if (attachmentName != null) {
            m.append("--outer\r\nContent-Type: application/pdf; name=\"").append(attachmentName).append("\"\r\n");
            m.append("Content-Disposition: attachment; filename=\"").append(attachmentName).append("\"\r\n");
            m.append("Content-Transfer-Encoding: base64\r\n\r\n");
            m.append(Base64.getMimeEncoder().encodeToString(PDF_BYTES)).append("\r\n");
        }
        m.append("--outer--\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A captured message of these bytes in {@code inbox}, sent by {@code mailFrom} to {@code rcptTo}. */
    public CapturedMessage captured(String inbox, String mailFrom, String... rcptTo) {
        return new CapturedMessage(inbox, bytes(), SessionFacts.of(mailFrom, List.of(rcptTo), Instant.now()));
    }

    public CapturedMessage captured(String inbox) {
        return captured(inbox, "alice@example.com", "bob@example.org");
    }
}
