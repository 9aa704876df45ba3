package dev.petrel.interop;

import dev.petrel.testkit.TestPetrel;
import dev.petrel.testkit.TestPostfix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postfix as an SMTP client of Petrel: a private Postfix relays everything to Petrel's MX
 * listener ({@code relayhost = [127.0.0.1]:port}, {@code smtp_tls_security_level = may}), and
 * Petrel stores the mail in its own Maildir. A message is handed to Postfix with
 * {@code sendmail -C <conf>}, the way local programs submit mail, so it passes through Postfix's
 * pickup, cleanup, qmgr and smtp client (STARTTLS, PIPELINING, dot-stuffing) before reaching us.
 */
@Timeout(120)
class PostfixClientInteropTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestPetrel petrel;
    private TestPostfix postfix;

    @BeforeEach
    void start() throws Exception {
        Path petrelDir = Files.createDirectories(dir.resolve("petrel"));
        petrel = TestPetrel.start(petrelDir, """
                [server]
                hostname = "mx.petrel.test"
                data_dir = "data"

                [relay]
                local_domains = ["petrel.test"]
                # Postfix connects from 127.0.0.1: trusting nobody keeps this an MX for petrel.test only.
                trusted_networks = []

                # Not about SPF/DKIM/DMARC, and no DNS server here: never ask the system's resolver.
                [mail_auth]
                verify = false

                [senders]
                # This test's untrusted MX client sends as alice@petrel.test, which is refused by default.
                refuse_local_sender_from_outside = false

                [local]
                users = ["alice"]
                """, TestPetrel.listener("mx", MX, STARTTLS));
        postfix = TestPostfix.startRelay(dir, new InetSocketAddress(InetAddress.getLoopbackAddress(), petrel.port("mx")));
    }

    @AfterEach
    void stop() {
        if (postfix != null) postfix.close();
        if (petrel != null) petrel.close();
    }

    @Test
    void postfixRelaysOverStartTlsAndPetrelDeliversToTheMaildir() throws Exception {
        String body = "Hello Alice,\n"
                + ".a line that starts with a dot\n"
                + "..and one with two\n"
                + ".\n"
                + "trailing spaces stay   \n"
                + "-- \nBob\n";
        byte[] message = ("From: Bob <bob@relay.postfix.test>\n"
                + "To: Alice <alice@petrel.test>\n"
                + "Subject: through Postfix\n"
                + "Message-ID: <postfix-client-1@relay.postfix.test>\n"
                + "\n" + body).getBytes(StandardCharsets.US_ASCII);
        postfix.sendmail("bob@relay.postfix.test", List.of("alice@petrel.test"), message);

        Path delivered = awaitMaildir("alice", 1).getFirst();
        petrel.awaitQueueEmpty(DELIVERY);
        awaitPostfixQueueEmpty();

        String got = Files.readString(delivered, StandardCharsets.UTF_8);
        // Petrel's Maildir files use LF line ends, like every Unix MDA (see MaildirTransport).
        assertThat(got).doesNotContain("\r");
        String head = got.substring(0, got.indexOf("\n\n") + 1);
        assertThat(got).as("body after the dot-stuffing round trip (Postfix stuffs, Petrel unstuffs)")
                .endsWith("\n\n" + body);
        assertThat(head)
                .startsWith("Return-Path: <bob@relay.postfix.test>\nDelivered-To: alice@petrel.test\n")
                .contains("Subject: through Postfix\n")
                .contains("Message-ID: <postfix-client-1@relay.postfix.test>\n")
                .contains("Received: by mx.relay.postfix.test (Postfix, from userid 0)");
        String received = unfold(head.substring(head.indexOf("Received: from mx.relay.postfix.test")));
        assertThat(received)
                .as(postfix.log() + "\nPostfix said EHLO with its myhostname, used STARTTLS, and Petrel named the protocol ESMTPS")
                .startsWith("Received: from mx.relay.postfix.test ([127.0.0.1]) (using TLSv1.")
                .contains("by mx.petrel.test (Petrel) with ESMTPS id ")
                .contains("for <alice@petrel.test>;");
        assertThat(postfix.log())
                .containsPattern("TLS connection established to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1]:" + petrel.port("mx"))
                .containsPattern("to=<alice@petrel\\.test>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1]:\\d+, .*status=sent "
                        + "\\(250 2\\.0\\.0 Ok: queued as \\S+\\)");
    }

    @Test
    void anUnknownRecipientIsRefusedAtRcptAndPostfixBouncesToTheSender() throws Exception {
        byte[] message = ("From: alice@petrel.test\nTo: nosuch@petrel.test\nSubject: to nobody\n\nhello\n")
                .getBytes(StandardCharsets.US_ASCII);
        postfix.sendmail("alice@petrel.test", List.of("nosuch@petrel.test"), message);

        // Postfix gets 550 5.1.1 at RCPT from Petrel: a permanent failure, so it bounces at once,
        // and its bounce (from <>) comes back through Petrel to alice's Maildir.
        Path bounce = awaitMaildir("alice", 1).getFirst();
        String got = Files.readString(bounce, StandardCharsets.UTF_8);
        assertThat(got).startsWith("Return-Path: <>\n")
                .contains("From: Mail Delivery System <MAILER-DAEMON@mx.relay.postfix.test>")
                .contains("<nosuch@petrel.test>: host 127.0.0.1[127.0.0.1] said: 550 5.1.1")
                .contains("Final-Recipient: rfc822; nosuch@petrel.test")
                .contains("Status: 5.1.1");
        assertThat(postfix.log()).containsPattern("to=<nosuch@petrel\\.test>, .*status=bounced");
        petrel.awaitQueueEmpty(DELIVERY);
        awaitPostfixQueueEmpty();
    }

    /** Petrel's own Maildir: {@code <data_dir>/mail/<user>/new}. */
    private List<Path> awaitMaildir(String user, int count) throws Exception {
        Path newDir = petrel.petrel().config().local().maildirRoot().resolve(user).resolve("new");
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (true) {
            if (Files.isDirectory(newDir)) {
                try (Stream<Path> s = Files.list(newDir)) {
                    List<Path> files = s.sorted().toList();
                    if (files.size() >= count) return files;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail for " + user + " in Petrel's Maildir after " + DELIVERY
                        + "\nPetrel queue: " + petrel.queued().size() + " message(s)\n" + postfix.log());
            }
            Thread.sleep(50);
        }
    }

    private void awaitPostfixQueueEmpty() throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!postfix.queuedFiles().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Postfix still holds " + postfix.queuedFiles() + "\n" + postfix.log());
            }
            Thread.sleep(50);
        }
    }

    private static String unfold(String field) {
        return field.replaceAll("\r?\n[ \t]+", " ");
    }
}
