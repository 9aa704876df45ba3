package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import dev.petrel.message.IpNetwork;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** [senders] over real sockets: envelope sender at MAIL, From: header at end of DATA/BDAT, local senders from outside. */
@Timeout(30)
class SenderIdentityTest {
    private static final String PASSWORD = "correct horse battery staple";
    @TempDir Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** alice: no entry (owns alice@petrel.test); bob: two patterns; app: anything. */
    private void start(boolean checkFromHeader) throws IOException {
        server = TestServer.start(dir, senders(new PetrelConfig.Senders(Map.of(
                "bob", List.of("bob@example.com", "@sales.example.com"),
                "app", List.of("*")), checkFromHeader, true)));
        for (String u : List.of("alice", "bob", "app")) server.addUser(u, PASSWORD);
    }

    private static UnaryOperator<PetrelConfig> senders(PetrelConfig.Senders s) {
        return c -> c.withPolicy(new PetrelConfig.Policy(s, c.policy().limits(), c.policy().rates(), c.policy().dnsbls()));
    }

    private SmtpTestClient submission(String user) throws IOException {
        SmtpTestClient c = SmtpTestClient.connect(server.submissionPort());
        assertThat(c.read().code()).isEqualTo(220);
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        c.startTls(server.clientTls());
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(c.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
        return c;
    }

    private String mailFrom(String user, String sender) throws IOException {
        try (SmtpTestClient c = submission(user)) {
            return c.command("MAIL FROM:<" + sender + ">").line();
        }
    }

    /** Sends a whole message with DATA; returns the reply to the final dot. */
    private String send(String user, String sender, String headers) throws IOException {
        try (SmtpTestClient c = submission(user)) {
            assertThat(c.command("MAIL FROM:<" + sender + ">").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            return c.command(headers + "Subject: t\r\n\r\nbody\r\n.").line();
        }
    }

    @Test
    void envelopeSenders() throws Exception {
        start(true);
        assertThat(mailFrom("alice", "alice@petrel.test")).isEqualTo("250 2.1.0 Ok");
        assertThat(mailFrom("alice", "ALICE@Petrel.Test")).isEqualTo("250 2.1.0 Ok");
        assertThat(mailFrom("alice", "")).isEqualTo("250 2.1.0 Ok"); // <>: bounces and auto-replies
        assertThat(mailFrom("alice", "bob@example.com"))
                .isEqualTo("553 5.7.1 <bob@example.com>: Sender address rejected: not owned by user alice");
        assertThat(mailFrom("alice", "alice@elsewhere.test"))
                .isEqualTo("553 5.7.1 <alice@elsewhere.test>: Sender address rejected: not owned by user alice");
        assertThat(mailFrom("bob", "Bob@EXAMPLE.com")).isEqualTo("250 2.1.0 Ok");
        assertThat(mailFrom("bob", "anyone@sales.example.com")).isEqualTo("250 2.1.0 Ok");
        assertThat(mailFrom("bob", "bob@petrel.test")) // an entry replaces the default addresses
                .isEqualTo("553 5.7.1 <bob@petrel.test>: Sender address rejected: not owned by user bob");
        assertThat(mailFrom("bob", "x@eu.sales.example.com"))
                .isEqualTo("553 5.7.1 <x@eu.sales.example.com>: Sender address rejected: not owned by user bob");
        assertThat(mailFrom("app", "whatever@anywhere.test")).isEqualTo("250 2.1.0 Ok");
    }

    @Test
    void allowedSenderIsQueuedAndOtherSenderIsNot() throws Exception {
        start(true);
        try (SmtpTestClient c = submission("alice")) {
            assertThat(c.command("MAIL FROM:<postmaster@petrel.test>").line())
                    .isEqualTo("553 5.7.1 <postmaster@petrel.test>: Sender address rejected: not owned by user alice");
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").code()).isEqualTo(503);
        }
        assertThat(server.messages()).isEmpty();
        assertThat(send("alice", "alice@petrel.test", "From: Alice <alice@petrel.test>\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void fromHeaderMismatchIsRefusedAtEndOfDataAndNothingIsQueued() throws Exception {
        start(true);
        assertThat(send("alice", "alice@petrel.test", "From: \"The Boss\" <boss@petrel.test>\r\n"))
                .isEqualTo("553 5.7.1 From: header <boss@petrel.test> is not owned by user alice");
        // Folded, with a comment and a second address that is not hers.
        assertThat(send("alice", "alice@petrel.test", "From: Alice (me) <alice@petrel.test>,\r\n\tBob <bob@example.com>\r\n"))
                .isEqualTo("553 5.7.1 From: header <bob@example.com> is not owned by user alice");
        // Two From: fields: each is checked.
        assertThat(send("alice", "alice@petrel.test", "From: alice@petrel.test\r\nfrom : other@petrel.test\r\n"))
                .isEqualTo("553 5.7.1 From: header <other@petrel.test> is not owned by user alice");
        assertThat(send("alice", "alice@petrel.test", "From: Alice alice@petrel.test\r\n"))
                .startsWith("553 5.7.1 From: header cannot be parsed");
        assertThat(server.messages()).isEmpty();
        // Folded and multiple addresses that are all bob's are fine.
        assertThat(send("bob", "bob@example.com", "From: Bob <bob@example.com>,\r\n sales@SALES.example.com, "
                + "team: x@sales.example.com;\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void headerSectionTooBigToCheckIsRefused() throws Exception {
        start(true);
        String pad = ("X-Pad: " + "p".repeat(90) + "\r\n").repeat(800); // about 78 KiB, beyond what is kept
        assertThat(send("alice", "alice@petrel.test", pad + "From: boss@petrel.test\r\n"))
                // The [limits] header-size check (same 64 KiB default) answers first.
                .startsWith("552 5.3.4 Message header section");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void fromHeaderIsCheckedWithBdatToo() throws Exception {
        start(true);
        try (SmtpTestClient c = submission("alice")) {
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").code()).isEqualTo(250);
            String part1 = "From: Mallory\r\n";
            String part2 = " <mallory@petrel.test>\r\nSubject: t\r\n\r\nbody\r\n";
            assertThat(c.command("BDAT " + part1.length() + "\r\n" + part1.substring(0, part1.length() - 2)).code())
                    .isEqualTo(250);
            assertThat(c.command("BDAT " + part2.length() + " LAST\r\n" + part2.substring(0, part2.length() - 2)).line())
                    .isEqualTo("553 5.7.1 From: header <mallory@petrel.test> is not owned by user alice");
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void fromHeaderCheckCanBeTurnedOff() throws Exception {
        start(false);
        assertThat(send("alice", "alice@petrel.test", "From: boss@petrel.test\r\n")).startsWith("250 2.0.0 Ok: queued as ");
    }

    @Test
    void localSenderFromOutsideIsRefusedOnMx() throws Exception {
        start(true);
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<ceo@Petrel.test>").line()).isEqualTo(
                    "553 5.7.1 <ceo@Petrel.test>: Sender address rejected: use an authenticated submission port to send as this domain");
            assertThat(c.command("MAIL FROM:<someone@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<>").line()).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void localSenderFromTrustedNetworkIsAccepted() throws Exception {
        server = TestServer.start(dir, c -> new PetrelConfig(c.source(), c.server(), c.smtp(), c.tls(), c.listeners(),
                new PetrelConfig.Relay(c.relay().localDomains(), List.of(IpNetwork.parse("127.0.0.0/8"), IpNetwork.parse("::1/128"))),
                c.auth(), c.queue(), c.delivery(), c.local(), c.admin(), PetrelConfig.Policy.DEFAULTS, c.mailAuth()));
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("ceo@petrel.test", "a@petrel.test");
            assertThat(c.command("From: ceo@petrel.test\r\n\r\nhi\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void localSenderFromOutsideIsAcceptedWhenTurnedOff() throws Exception {
        server = TestServer.start(dir, senders(new PetrelConfig.Senders(Map.of(), true, false)));
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("ceo@petrel.test", "a@petrel.test");
            assertThat(c.command("Subject: x\r\n\r\nhi\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
    }
}
