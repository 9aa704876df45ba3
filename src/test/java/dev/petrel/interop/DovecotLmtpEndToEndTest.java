package dev.petrel.interop;

import dev.petrel.testkit.TestDovecot;
import dev.petrel.testkit.TestPetrel;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local delivery through a real Dovecot: Petrel with {@code [local] lmtp} receives mail for its
 * local domain over SMTP and hands it to Dovecot's LMTP server, which files it in the user's
 * Maildir. A user Petrel knows but Dovecot does not is refused by Dovecot at RCPT (550 5.1.1),
 * and Petrel bounces that recipient to the sender, which (being local too) reaches the sender's
 * Dovecot mailbox the same way.
 */
@Timeout(120)
class DovecotLmtpEndToEndTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestDovecot dovecot;
    private TestPetrel petrel;

    @BeforeEach
    void start() throws Exception {
        dovecot = TestDovecot.start(dir, "alice", "bob");   // no carol
        Path petrelDir = Files.createDirectories(dir.resolve("petrel"));
        petrel = TestPetrel.start(petrelDir, """
                [server]
                hostname = "mx.petrel.test"
                data_dir = "data"

                [relay]
                local_domains = ["petrel.test"]
                trusted_networks = []

                # Not about SPF/DKIM/DMARC, and no DNS server here: never ask the system's resolver.
                [mail_auth]
                verify = false

                [senders]
                # This test's untrusted MX client sends as alice@petrel.test, which is refused by default.
                refuse_local_sender_from_outside = false

                [local]
                users = ["alice", "bob", "carol"]
                lmtp = "127.0.0.1:%d"
                """.formatted(dovecot.lmtpAddress().getPort()),
                TestPetrel.listener("mx", MX, STARTTLS));
    }

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
        if (dovecot != null) dovecot.close();
    }

    @Test
    void mailForALocalUserIsDeliveredOverLmtpIntoDovecotsMaildir() throws Exception {
        byte[] sent = wireBytes(message("dave@elsewhere.test", "alice@petrel.test", "over LMTP"));
        String queueId = send("dave@elsewhere.test", sent, "alice@petrel.test");

        List<Path> files = awaitDovecot("alice", 1);
        petrel.awaitQueueEmpty(DELIVERY);

        // Dovecot stores LF line ends (mail_save_crlf = no); CRLF is restored before comparing
        // with the client's bytes, which have no bare CR or LF of their own.
        String got = new String(Files.readAllBytes(files.getFirst()), StandardCharsets.ISO_8859_1);
        assertThat(got).doesNotContain("\r");
        String crlf = got.replace("\n", "\r\n");
        String original = new String(sent, StandardCharsets.ISO_8859_1);
        assertThat(crlf).as("the client's bytes, whole, at the end of Dovecot's file").endsWith(original);
        String trace = crlf.substring(0, crlf.length() - original.length()).replaceAll("\r\n[ \t]+", " ");
        assertThat(trace)
                .startsWith("Return-Path: <dave@elsewhere.test>\r\nDelivered-To: alice@petrel.test\r\n")
                .containsPattern("Received: from mx\\.petrel\\.test \\(\\S* ?\\[127\\.0\\.0\\.1]\\) by \\S+ "
                        + "with LMTP id \\S+ \\(envelope-from <dave@elsewhere\\.test>\\) for <alice@petrel\\.test>")
                .as("our Received: is the last trace field, right above the client's bytes")
                .containsPattern("Received: from client\\.petrel\\.test \\(\\[127\\.0\\.0\\.1]\\) by mx\\.petrel\\.test "
                        + "\\(Petrel\\) with ESMTP id " + queueId + " for <alice@petrel\\.test>; [^\r]+\r\n$");
        assertThat(dovecot.newMessages("bob")).isEmpty();
    }

    @Test
    void aRecipientDovecotDoesNotKnowIsBouncedToTheLocalSender() throws Exception {
        byte[] sent = wireBytes(message("alice@petrel.test", "bob@petrel.test", "to bob and carol"));
        String queueId = send("alice@petrel.test", sent, "bob@petrel.test", "carol@petrel.test");

        // bob gets the message; carol (known to Petrel, unknown to Dovecot) gets 550 at RCPT,
        // so Petrel bounces carol's copy to alice, and the bounce goes to Dovecot as well.
        List<Path> bobs = awaitDovecot("bob", 1);
        List<Path> alices = awaitDovecot("alice", 1);
        petrel.awaitQueueEmpty(DELIVERY);

        assertThat(Files.readString(bobs.getFirst(), StandardCharsets.ISO_8859_1)).contains("Subject: to bob and carol");
        assertThat(alices).hasSize(1);
        String bounce = Files.readString(alices.getFirst(), StandardCharsets.UTF_8);
        assertThat(bounce)
                .startsWith("Return-Path: <>\n")
                .contains("Subject: Undelivered Mail Returned to Sender")
                .contains("To: <alice@petrel.test>")
                .contains("Auto-Submitted: auto-replied")
                .contains("report-type=delivery-status")
                .contains("Final-Recipient: rfc822; carol@petrel.test")
                .contains("Action: failed")
                .contains("Status: 5.1.1")
                .contains(queueId)
                .as("bob was delivered, so he is not in the bounce").doesNotContain("Final-Recipient: rfc822; bob@petrel.test");
        assertThat(dovecot.newMessages("carol")).isEmpty();
        assertThat(bounce).as("Dovecot's own reply is passed on")
                .containsPattern("Diagnostic-Code: smtp; 550 5\\.1\\.1 .*carol");
    }

    /** Plain SMTP to the MX listener (no AUTH, no STARTTLS), like another server would send it. */
    private String send(String from, byte[] wire, String... to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.localhost", "client.petrel.test");
        props.put("mail.smtp.from", from);
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "20000");
        Session session = Session.getInstance(props);
        MimeMessage msg = new MimeMessage(session, new ByteArrayInputStream(wire));
        InternetAddress[] rcpts = new InternetAddress[to.length];
        for (int i = 0; i < to.length; i++) rcpts[i] = new InternetAddress(to[i]);
        try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
            t.connect("127.0.0.1", petrel.port("mx"), null, null);
            t.sendMessage(msg, rcpts);
            String last = t.getLastServerResponse();
            assertThat(last).startsWith("250 2.0.0 Ok: queued as ");
            return last.substring("250 2.0.0 Ok: queued as ".length()).trim();
        }
    }

    private List<Path> awaitDovecot(String user, int count) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (true) {
            List<Path> files = dovecot.newMessages(user);
            if (files.size() >= count) return files;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(user + " has " + files.size() + " message(s) in Dovecot after " + DELIVERY
                        + "; Petrel queue: " + petrel.queued().size() + "\n" + dovecot.output());
            }
            Thread.sleep(50);
        }
    }

    private static MimeMessage message(String from, String to, String subject) throws MessagingException {
        MimeMessage msg = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<e2e-dovecot@client.petrel.test>");
            }
        };
        msg.setFrom(new InternetAddress(from));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        msg.setSubject(subject);
        msg.setText("Hello,\r\n.a dotted line\r\n\u00fcmlaut in UTF-8\r\n", "UTF-8");
        return msg;
    }

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
