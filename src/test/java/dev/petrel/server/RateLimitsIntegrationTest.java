package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Rate;
import dev.petrel.message.IpNetwork;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** [rate_limits] over real sockets: 450 4.7.1 with a retry hint, nothing queued beyond the limit, per-user AUTH lockout. */
@Timeout(60)
class RateLimitsIntegrationTest {
    private static final String PASSWORD = "Right-Pa55word-xyzzy";
    private static final String WRONG = "wrong-Pa55word-plugh";

    @TempDir Path dir;

    @Test
    void messagesPerIpRefusedWithRetryHintThenAllowedAfterTheWindow() throws Exception {
        // 1 per 2 s: the hint is "2 seconds" as long as the first message takes under a second.
        try (TestServer server = TestServer.start(dir, rates(Rate.NONE, Rate.NONE, new Rate(1, Duration.ofSeconds(2)), Rate.NONE, 10))) {
            try (SmtpTestClient c = mxClient(server, null)) {
                send(c);
                assertThat(c.command("MAIL FROM:<sender@example.org>").line())
                        .isEqualTo("450 4.7.1 Rate limit exceeded for your address: 1 message per 2 seconds; try again in 2 seconds");
                assertThat(c.command("RCPT TO:<someone@petrel.test>").code()).isEqualTo(503);
                assertThat(server.messages()).hasSize(1);
                // Another address has its own bucket.
                try (SmtpTestClient other = mxClient(server, InetAddress.getByName("127.0.0.2"))) {
                    send(other);
                }
                Thread.sleep(2000);
                send(c);
            }
            assertThat(server.messages()).hasSize(3);
        }
    }

    @Test
    void trustedNetworksAreExemptFromPerIpLimits() throws Exception {
        UnaryOperator<PetrelConfig> trusted = c -> rates(Rate.NONE, Rate.NONE, new Rate(1, Duration.ofHours(1)), Rate.NONE, 10)
                .apply(new PetrelConfig(c.source(), c.server(), c.smtp(), c.tls(), c.listeners(),
                        new PetrelConfig.Relay(c.relay().localDomains(), List.of(IpNetwork.parse("127.0.0.0/8"))),
                        c.auth(), c.queue(), c.delivery(), c.local(), c.admin(), c.policy(), c.mailAuth()));
        try (TestServer server = TestServer.start(dir, trusted); SmtpTestClient c = mxClient(server, null)) {
            for (int i = 0; i < 3; i++) send(c);
            assertThat(server.messages()).hasSize(3);
        }
    }

    @Test
    void recipientsPerUserAcrossConnections() throws Exception {
        try (TestServer server = TestServer.start(dir, rates(Rate.NONE, new Rate(3, Duration.ofHours(1)), Rate.NONE, Rate.NONE, 10))) {
            server.addUser("alice", PASSWORD);
            try (SmtpTestClient c = authReady(server, null)) {
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).code()).isEqualTo(235);
                assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<a@example.org>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<b@example.org>").code()).isEqualTo(250);
                assertThat(c.command("DATA").code()).isEqualTo(354);
                assertThat(c.command("Subject: one\r\n\r\nhello\r\n.").code()).isEqualTo(250);
            }
            try (SmtpTestClient c = authReady(server, InetAddress.getByName("127.0.0.2"))) {
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).code()).isEqualTo(235);
                assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<c@example.org>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<d@example.org>").line())
                        .isEqualTo("450 4.7.1 Rate limit exceeded for alice: 3 recipients per hour; try again in 1200 seconds");
                assertThat(c.command("DATA").code()).isEqualTo(354);
                assertThat(c.command("Subject: two\r\n\r\nhello\r\n.").code()).isEqualTo(250);
            }
            assertThat(server.messages()).hasSize(2);
            assertThat(server.messages().get(1).envelope().recipients()).hasSize(1);
        }
    }

    @Test
    void failuresForOneUserFromOneIpLockThatUserOutFromAnotherIpEvenWithTheRightPasswordWith454() throws Exception {
        UnaryOperator<PetrelConfig> cfg = c -> rates(Rate.NONE, Rate.NONE, Rate.NONE, Rate.NONE, 2)
                .apply(TestConfigs.authLimits(c, 100, Duration.ofMillis(10)));
        try (TestServer server = TestServer.start(dir, cfg)) {
            server.addUser("alice", PASSWORD);
            server.addUser("bob", PASSWORD);
            try (SmtpTestClient c = authReady(server, InetAddress.getByName("127.0.0.1"))) {
                for (int i = 0; i < 2; i++) {
                    assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", WRONG)).code()).isEqualTo(535);
                }
                // The same number of failures at a name that does not exist: it must behave alike.
                for (int i = 0; i < 2; i++) {
                    assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("nobody", WRONG)).code()).isEqualTo(535);
                }
            }
            try (SmtpTestClient c = authReady(server, InetAddress.getByName("127.0.0.2"))) {
                String aliceReply = c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("Alice", PASSWORD)).line();
                // 454, not 535: the lock refuses every password alike, so it confirms no guess.
                assertThat(aliceReply).isEqualTo("454 4.7.0 Too many failed attempts for this user name, try again later");
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("nobody", PASSWORD)).line()).isEqualTo(aliceReply);
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).line()).isEqualTo(aliceReply);
                assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
                // Other users are not affected.
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("bob", PASSWORD)).code()).isEqualTo(235);
            }
        }
    }

    private static UnaryOperator<PetrelConfig> rates(Rate messagesPerUser, Rate recipientsPerUser, Rate messagesPerIp,
                                                     Rate recipientsPerIp, int authFailuresPerUser) {
        return c -> c.withPolicy(new PetrelConfig.Policy(c.policy().senders(), c.policy().limits(),
                new PetrelConfig.RateLimits(messagesPerUser, recipientsPerUser, messagesPerIp, recipientsPerIp,
                        authFailuresPerUser, Duration.ofMinutes(15)),
                c.policy().dnsbls()));
    }

    private static void send(SmtpTestClient c) throws Exception {
        assertThat(c.command("MAIL FROM:<sender@example.org>").code()).isEqualTo(250);
        assertThat(c.command("RCPT TO:<someone@petrel.test>").code()).isEqualTo(250);
        assertThat(c.command("DATA").code()).isEqualTo(354);
        assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.").code()).isEqualTo(250);
    }

    private static SmtpTestClient mxClient(TestServer server, InetAddress from) throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), from);
        assertThat(c.read().code()).isEqualTo(220);
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        return c;
    }

    private static SmtpTestClient authReady(TestServer server, InetAddress from) throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(server.submissionPort(), from);
        assertThat(c.read().code()).isEqualTo(220);
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        c.startTls(server.clientTls());
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        return c;
    }
}
