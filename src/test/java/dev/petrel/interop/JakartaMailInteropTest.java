package dev.petrel.interop;

import dev.petrel.message.Recipient;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jakarta Mail (Angus Mail 2.0), the client most Java applications use, against the submission
 * ports: STARTTLS required + AUTH PLAIN on the 587-style listener, implicit TLS on the 465-style
 * one. The client verifies the certificate and the host name 127.0.0.1 like it would in production.
 */
@Timeout(60)
class JakartaMailInteropTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        server.addUser(USER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void multipartWithAttachmentOverStartTlsAndAuthPlainArrivesIntact() throws Exception {
        Session session = Session.getInstance(props("smtp", server.submissionPort(), true));
        byte[] attachment = new byte[50_000];
        new Random(42).nextBytes(attachment);
        MimeMessage msg = message(session, attachment);
        byte[] expected = wireBytes(msg);

        String lastResponse;
        try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
            t.connect("127.0.0.1", server.submissionPort(), USER, PASSWORD);
            t.sendMessage(msg, msg.getAllRecipients());
            assertThat(t.getLastReturnCode()).isEqualTo(250);
            lastResponse = t.getLastServerResponse();
        }

        assertThat(server.messages()).hasSize(1);
        SpooledMessage m = server.messages().getFirst();
        assertThat(lastResponse).startsWith("250 2.0.0 Ok: queued as " + m.id().value());
        assertThat(m.envelope().sender()).hasToString("alice@petrel.test");
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("bob@elsewhere.test", "carol@petrel.test");
        assertThat(m.envelope().authIdentity()).isEqualTo(USER);
        assertThat(m.envelope().listener()).isEqualTo("submission");
        assertThat(m.envelope().helo()).isEqualTo("client.petrel.test");
        assertThat(m.envelope().tls()).isNotNull();
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");

        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTPSA");
        assertThat(spooled.received()).contains("(using TLSv1.3 with cipher ").doesNotContain("for <");
        assertThat(spooled.original()).as("exact bytes the client wrote").isEqualTo(expected);

        // And a mail reader sees the same message: the text and every attachment byte.
        MimeMessage got = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.content()));
        assertThat(got.getSubject()).isEqualTo("Quarterly report \u2013 r\u00e9sum\u00e9");
        assertThat(got.getHeader("Received")).hasSize(1);
        Multipart parts = (Multipart) got.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo(text());
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("report.bin");
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(attachment);
    }

    @Test
    void wrongPasswordIsAuthenticationFailedAndNothingIsQueued() throws Exception {
        Session session = Session.getInstance(props("smtp", server.submissionPort(), true));
        try (Transport t = session.getTransport("smtp")) {
            assertThatThrownBy(() -> t.connect("127.0.0.1", server.submissionPort(), USER, "wrong password"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535 5.7.8");
        }
        // Transport.send, the one-liner most code uses, fails the same way and queues nothing.
        MimeMessage msg = message(session, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Transport.send(msg, USER, "wrong password"))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void implicitTlsOnTheSubmissionsPort() throws Exception {
        Session session = Session.getInstance(props("smtps", server.submissionsPort(), false));
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress("alice@petrel.test"));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("dave@elsewhere.test"));
        msg.setSubject("over 465");
        msg.setText("Line one\r\n.leading dot survives\r\n", "UTF-8");
        byte[] expected = wireBytes(msg);

        String lastResponse;
        try (SMTPTransport t = (SMTPTransport) session.getTransport("smtps")) {
            t.connect("127.0.0.1", server.submissionsPort(), USER, PASSWORD);
            t.sendMessage(msg, msg.getAllRecipients());
            lastResponse = t.getLastServerResponse();
        }

        assertThat(server.messages()).hasSize(1);
        SpooledMessage m = server.messages().getFirst();
        assertThat(lastResponse).startsWith("250 2.0.0 Ok: queued as " + m.id().value());
        assertThat(m.envelope().listener()).isEqualTo("submissions");
        assertThat(m.envelope().authIdentity()).isEqualTo(USER);
        assertThat(m.envelope().recipients()).extracting(Recipient::address).extracting(Object::toString)
                .containsExactly("dave@elsewhere.test");
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTPSA");
        assertThat(spooled.received()).contains("for <dave@elsewhere.test>");
        assertThat(spooled.original()).isEqualTo(expected);
    }

    /** Client settings as an application would write them; {@code protocol} is smtp or smtps. */
    private Properties props(String protocol, int port, boolean startTls) {
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", "127.0.0.1");
        props.put(p + "port", String.valueOf(port));
        props.put(p + "auth", "true");
        props.put(p + "auth.mechanisms", "PLAIN");
        props.put(p + "localhost", "client.petrel.test");
        props.put(p + "ssl.socketFactory", server.clientTls().getSocketFactory());
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "connectiontimeout", "10000");
        props.put(p + "timeout", "20000");
        if (startTls) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        } else {
            props.put(p + "ssl.enable", "true");
        }
        return props;
    }

    private static String text() {
        return "Hello Bob,\r\n\r\nthe report is attached.\r\n.\r\n..two dots\r\n-- \r\nAlice\r\n";
    }

    private static MimeMessage message(Session session, byte[] attachment) throws MessagingException {
        MimeMessage msg = new FixedIdMessage(session);
        msg.setFrom(new InternetAddress("alice@petrel.test"));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@elsewhere.test"));
        msg.setRecipient(Message.RecipientType.BCC, new InternetAddress("carol@petrel.test"));
        msg.setSubject("Quarterly report \u2013 r\u00e9sum\u00e9", "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text(), "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
        file.setFileName("report.bin");
        file.setDisposition(Part.ATTACHMENT);
        msg.setContent(new MimeMultipart(body, file));
        return msg;
    }

    /** The bytes SMTPTransport puts between DATA and the final dot: CRLF line ends, no Bcc. */
    private static byte[] wireBytes(MimeMessage msg) throws MessagingException, IOException {
        msg.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CRLFOutputStream crlf = new CRLFOutputStream(out)) {
            msg.writeTo(crlf, new String[] {"Bcc", "Content-Length"});
        }
        byte[] bytes = out.toByteArray();
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        return s.endsWith("\r\n") ? bytes : (s + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Keeps the Message-ID stable across saveChanges, so the expected bytes can be computed first. */
    private static final class FixedIdMessage extends MimeMessage {
        FixedIdMessage(Session session) {
            super(session);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<interop-1@client.petrel.test>");
        }
    }
}
