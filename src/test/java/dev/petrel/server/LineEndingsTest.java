package dev.petrel.server;

import dev.petrel.config.PetrelConfig.BareLineEndings;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bare LF in message content over a real socket, in both bare_line_endings modes, and the SMTP
 * smuggling attempt ({@code LF . LF} as a fake end of data followed by a second transaction).
 */
@Timeout(30)
class LineEndingsTest {
    /** One write: a fake end of data, then a whole second transaction the attacker hopes we obey. */
    private static final String SMUGGLING = "body\n.\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<a@petrel.test>\r\n"
            + "DATA\r\nsmuggled\r\n.\r\n";

    @TempDir Path dir;

    @Test
    void normalizeQueuesBareLfAsCrlf() throws Exception {
        try (TestServer server = start(BareLineEndings.NORMALIZE);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: bare\n\nline one\nline two\r\n");
            assertThat(c.command(".").line()).startsWith("250 2.0.0 Ok: queued as ");
            List<SpooledMessage> messages = server.messages();
            assertThat(messages).hasSize(1);
            String content = new String(messages.getFirst().content(), StandardCharsets.UTF_8);
            assertThat(content).endsWith("Subject: bare\r\n\r\nline one\r\nline two\r\n");
            assertThat(content.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        }
    }

    @Test
    void rejectRefusesBareLfWith550AndQueuesNothing() throws Exception {
        try (TestServer server = start(BareLineEndings.REJECT);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: bare\n\nline one\nline two\r\n");
            assertThat(c.command(".").line())
                    .isEqualTo("550 5.5.2 Message rejected: bare CR or LF received; end every line with CRLF");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void smugglingInNormalizeModeQueuesExactlyOneMessageHoldingTheFakeCommandsAsContent() throws Exception {
        try (TestServer server = start(BareLineEndings.NORMALIZE);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send(SMUGGLING);
            assertThat(c.read().line()).startsWith("250 2.0.0 Ok: queued as ");
            // No reply for a smuggled MAIL, RCPT or DATA follows: the next reply answers NOOP.
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");

            List<SpooledMessage> messages = server.messages();
            assertThat(messages).hasSize(1);
            SpooledMessage m = messages.getFirst();
            assertThat(m.envelope().senderText()).isEqualTo("a@x.test");
            assertThat(m.envelope().recipients()).hasSize(1);
            assertThat(m.envelope().recipients().getFirst().address().toString()).isEqualTo("b@petrel.test");
            String content = new String(m.content(), StandardCharsets.UTF_8);
            assertThat(content).contains("MAIL FROM:<evil@x.test>\r\nRCPT TO:<a@petrel.test>\r\nDATA\r\nsmuggled\r\n");
            assertThat(content).endsWith("body\r\n\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<a@petrel.test>\r\nDATA\r\nsmuggled\r\n");
        }
    }

    @Test
    void smugglingInRejectModeQueuesNothing() throws Exception {
        try (TestServer server = start(BareLineEndings.REJECT);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send(SMUGGLING);
            assertThat(c.read().line())
                    .isEqualTo("550 5.5.2 Message rejected: bare CR or LF received; end every line with CRLF");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(server.messages()).isEmpty();
        }
    }

    private TestServer start(BareLineEndings mode) throws Exception {
        return TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.bareLineEndings = mode));
    }
}
