package dev.petrel.interop;

import dev.petrel.server.tls.TlsContextFactory;
import dev.petrel.testkit.TestPetrel;
import dev.petrel.testkit.TestPostfix;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static dev.petrel.config.PetrelConfig.ListenerMode.SUBMISSION;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole outbound path with real programs at both ends: Jakarta Mail (Angus) submits on a
 * 587-style listener with STARTTLS and AUTH PLAIN, Petrel queues the message and relays it over
 * a static route to a private Postfix acting as the recipient domain's MX, and Postfix's
 * {@code virtual(8)} writes it into a Maildir. The delivered file must hold every byte the client
 * sent, with our {@code Received:} right above it and Postfix's own trace headers above that.
 */
@Timeout(120)
class PostfixMxEndToEndTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestPostfix postfix;
    private TestPetrel petrel;

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
        if (postfix != null) postfix.close();
    }

    @Test
    void submittedMessageArrivesAtPostfixByteForByteWithOurReceivedHeader() throws Exception {
        postfix = TestPostfix.start(dir, "postfix.test", "dave");
        Path petrelDir = Files.createDirectories(dir.resolve("petrel"));
        petrel = TestPetrel.start(petrelDir, """
                [server]
                hostname = "mx.petrel.test"
                data_dir = "data"

                [relay]
                local_domains = ["petrel.test"]
                trusted_networks = []

                [auth]
                failure_delay = "10ms"

                [[delivery.route]]
                domain = "postfix.test"
                to = "127.0.0.1:%d"
                # The test Postfix offers no STARTTLS: opportunistic must then send in the clear.
                tls = "opportunistic"
                """.formatted(postfix.address().getPort()),
                TestPetrel.listener("submission", SUBMISSION, STARTTLS));
        petrel.addUser(USER, PASSWORD);

        // The client's exact bytes first; then a message built from those bytes is what is sent
        // (SMTPTransport.sendMessage writes an unmodified parsed message back byte for byte).
        Session session = Session.getInstance(clientProperties());
        byte[] sent = wireBytes(message(session));
        MimeMessage toSend = new MimeMessage(session, new ByteArrayInputStream(sent));
        String lastResponse;
        try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
            t.connect("127.0.0.1", petrel.port("submission"), USER, PASSWORD);
            t.sendMessage(toSend, new InternetAddress[] {new InternetAddress("dave@postfix.test")});
            lastResponse = t.getLastServerResponse();
        }
        assertThat(lastResponse).startsWith("250 2.0.0 Ok: queued as ");
        String queueId = lastResponse.substring("250 2.0.0 Ok: queued as ".length()).trim();

        List<Path> delivered = postfix.awaitMessages("dave", 1, DELIVERY);
        assertThat(delivered).hasSize(1);
        petrel.awaitQueueEmpty(DELIVERY);

        // Postfix's Maildir files use LF line ends (it stores lines, not SMTP's CRLF), so the
        // file is turned back into CRLF before comparing with what the client put on the wire.
        // The message has no bare CR or LF of its own, so this is exact.
        byte[] file = Files.readAllBytes(delivered.getFirst());
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("\r");
        byte[] crlf = new String(file, StandardCharsets.ISO_8859_1).replace("\n", "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        String all = new String(crlf, StandardCharsets.ISO_8859_1);
        String original = new String(sent, StandardCharsets.ISO_8859_1);
        assertThat(all).as("the client's bytes, whole, at the end of the delivered file\n" + postfix.log())
                .endsWith(original);

        List<String> trace = headerFields(all.substring(0, all.length() - original.length()));
        assertThat(trace).as("trace fields added by Postfix (virtual, smtpd) and by Petrel, top first")
                .hasSize(5);
        assertThat(trace.get(0)).isEqualTo("Return-Path: <alice@petrel.test>");
        assertThat(trace.get(1)).isEqualTo("X-Original-To: dave@postfix.test");
        assertThat(trace.get(2)).isEqualTo("Delivered-To: dave@postfix.test");
        assertThat(unfold(trace.get(3)))
                .startsWith("Received: from mx.petrel.test (")
                .contains("[127.0.0.1])")
                .contains(" by mx.postfix.test (Postfix) with ESMTP id ")
                .contains("for <dave@postfix.test>;");
        assertThat(unfold(trace.get(4)))
                .matches("Received: from client\\.petrel\\.test \\(\\[127\\.0\\.0\\.1]\\) "
                        + "\\(using TLSv1\\.3 with cipher \\S+\\) by mx\\.petrel\\.test \\(Petrel\\) with ESMTPSA id "
                        + java.util.regex.Pattern.quote(queueId) + " for <dave@postfix\\.test>; .+")
                .as("the user name of the authenticated client is not revealed").doesNotContain(USER);

        // And the mail reader at the far end sees the same message: every attachment byte.
        MimeMessage got = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(crlf));
        assertThat(got.getSubject()).isEqualTo("Quarterly report \u2013 r\u00e9sum\u00e9");
        MimeMultipart parts = (MimeMultipart) got.getContent();
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo(text());
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(attachment());
        assertThat(postfix.log()).contains("status=sent (delivered to maildir)");
        assertThat(postfix.queuedFiles()).isEmpty();
    }

    /** The header fields (each with its continuation lines, CRLF-joined) of a header block. */
    private static List<String> headerFields(String block) {
        List<String> out = new ArrayList<>();
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.getLast() + "\r\n" + line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static String unfold(String field) {
        return field.replaceAll("\r\n[ \t]+", " ");
    }

    private Properties clientProperties() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(petrel.certificateFile())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Properties props = new Properties();
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.auth.mechanisms", "PLAIN");
        props.put("mail.smtp.localhost", "client.petrel.test");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", TlsContextFactory.clientContextTrusting(cert).getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "20000");
        return props;
    }

    private static String text() {
        return "Hello Dave,\r\n\r\nthe report is attached.\r\n.\r\n..two dots\r\n.leading dot\r\n-- \r\nAlice\r\n";
    }

    private static byte[] attachment() {
        byte[] a = new byte[50_000];
        new Random(42).nextBytes(a);
        return a;
    }

    private static MimeMessage message(Session session) throws MessagingException {
        MimeMessage msg = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<e2e-postfix-1@client.petrel.test>");
            }
        };
        msg.setFrom(new InternetAddress("alice@petrel.test", false));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress("dave@postfix.test"));
        msg.setSubject("Quarterly report \u2013 r\u00e9sum\u00e9", "UTF-8");
        msg.setHeader("X-Long-Header", "a folded header value that goes on and on past the usual width,\r\n"
                + "\tcontinued on a second line with a tab, and a third part\r\n  after two spaces");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text(), "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment(), "application/octet-stream")));
        file.setFileName("report.bin");
        file.setDisposition(Part.ATTACHMENT);
        msg.setContent(new MimeMultipart(body, file));
        return msg;
    }

    /** What SMTPTransport puts between DATA and the final dot: CRLF line ends, no Bcc. */
    private static byte[] wireBytes(MimeMessage msg) throws MessagingException, IOException {
        msg.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CRLFOutputStream crlf = new CRLFOutputStream(out)) {
            msg.writeTo(crlf, new String[] {"Bcc", "Content-Length"});
        }
        String s = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        return (s.endsWith("\r\n") ? s : s + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
