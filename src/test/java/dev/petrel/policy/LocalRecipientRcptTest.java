package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import dev.petrel.message.IpNetwork;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** RCPT for a local domain is checked against the local recipient table, over a real socket, for every kind of client. */
@Timeout(30)
class LocalRecipientRcptTest {
    private static final String PASSWORD = "correct horse battery staple";
    @TempDir Path dir;

    /** Users alice and bob, alias info → alice, no catch-all. */
    private static UnaryOperator<PetrelConfig> localUsers(Path dir) {
        return cfg -> cfg.withDelivery(cfg.queue(), cfg.delivery(), new PetrelConfig.Local(dir.resolve("mail"),
                List.of("alice", "bob"), Map.of("info", List.of("alice")), null, null), cfg.admin());
    }

    @Test
    void unknownLocalUserGets550AndNothingIsQueued() throws Exception {
        try (TestServer server = TestServer.start(dir, localUsers(dir));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<nobody@petrel.test>").line())
                    .isEqualTo("550 5.1.1 <nobody@petrel.test>: Recipient address rejected: User unknown in local recipient table");
            assertThat(c.command("DATA").line()).startsWith("554 5.5.1");
            assertThat(c.command("QUIT").code()).isEqualTo(221);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void knownUsersAliasesPlusAddressesAndPostmasterAreAccepted() throws Exception {
        try (TestServer server = TestServer.start(dir, localUsers(dir));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            for (String rcpt : List.of("alice@petrel.test", "BOB@Petrel.Test", "info@petrel.test",
                    "alice+lists@petrel.test", "postmaster@petrel.test", "alice@mx.petrel.test")) {
                assertThat(c.command("RCPT TO:<" + rcpt + ">").line()).as(rcpt).isEqualTo("250 2.1.5 Ok");
            }
            assertThat(c.command("RCPT TO:<carol@petrel.test>").code()).isEqualTo(550);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(server.messages()).hasSize(1);
            assertThat(server.messages().getFirst().envelope().recipients()).hasSize(6);
        }
    }

    @Test
    void authenticatedClientsAreCheckedToo() throws Exception {
        try (TestServer server = TestServer.start(dir, localUsers(dir))) {
            server.addUser("alice", PASSWORD);
            try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                c.startTls(server.clientTls());
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                String plain = Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                assertThat(c.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
                assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<x@elsewhere.test>").line()).isEqualTo("250 2.1.5 Ok");
                assertThat(c.command("RCPT TO:<typo@petrel.test>").line())
                        .isEqualTo("550 5.1.1 <typo@petrel.test>: Recipient address rejected: User unknown in local recipient table");
                assertThat(c.command("RCPT TO:<bob@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            }
        }
    }

    @Test
    void trustedNetworksAreCheckedToo() throws Exception {
        UnaryOperator<PetrelConfig> trusted = cfg -> new PetrelConfig(cfg.source(), cfg.server(), cfg.smtp(), cfg.tls(),
                cfg.listeners(), new PetrelConfig.Relay(cfg.relay().localDomains(), List.of(IpNetwork.parse("127.0.0.0/8"))),
                cfg.auth(), cfg.queue(), cfg.delivery(), cfg.local(), cfg.admin(), PetrelConfig.Policy.DEFAULTS, cfg.mailAuth());
        try (TestServer server = TestServer.start(dir, cfg -> trusted.apply(localUsers(dir).apply(cfg)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("RCPT TO:<nobody@petrel.test>").code()).isEqualTo(550);
            // A trusted client may use routing syntax, but the local part must still be a user.
            assertThat(c.command("RCPT TO:<x%elsewhere.test@petrel.test>").code()).isEqualTo(550);
        }
    }

    @Test
    void theDefaultTestServerCatchAllAcceptsAnyLocalPart() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<anyone@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
        }
    }
}
