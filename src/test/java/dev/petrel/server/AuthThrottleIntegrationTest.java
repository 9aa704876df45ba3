package dev.petrel.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** AUTH failures from one IP: 535 each, then 454 even for the right password; no password in the log. */
@Timeout(30)
class AuthThrottleIntegrationTest {
    private static final String PASSWORD = "Right-Pa55word-xyzzy";
    private static final String WRONG = "wrong-Pa55word-plugh";

    @TempDir Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext(context);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        root.detachAppender(logs);
        logs.stop();
    }

    @Test
    void fourthAttemptAfterThreeFailuresIsRefusedEvenWithTheRightPassword() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.authLimits(c, 3, Duration.ofMillis(50)))) {
            server.addUser("alice", PASSWORD);
            try (SmtpTestClient c = authReady(server)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", WRONG + i)).line())
                            .isEqualTo("535 5.7.8 Authentication credentials invalid");
                }
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).line())
                        .isEqualTo("454 4.7.0 Too many failed authentication attempts, try again later");
                // Not authenticated: the refusal really refused.
                assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
            }
            // The limit is per IP, not per connection: a new connection is refused too, with LOGIN as well.
            try (SmtpTestClient c = authReady(server)) {
                assertThat(c.command("AUTH LOGIN").line())
                        .isEqualTo("454 4.7.0 Too many failed authentication attempts, try again later");
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).line())
                        .isEqualTo("454 4.7.0 Too many failed authentication attempts, try again later");
            }
            assertThat(server.messages()).isEmpty();
        }

        List<String> lines = logs.list.stream().map(this::render).toList();
        assertThat(lines).anyMatch(l -> l.contains("authentication failed") && l.contains("sasl_username=alice"));
        for (String secret : List.of(PASSWORD, WRONG, Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
                RelayAndSubmissionTest.plain("alice", PASSWORD), RelayAndSubmissionTest.plain("alice", WRONG + 0))) {
            assertThat(lines).noneMatch(l -> l.contains(secret));
        }
    }

    @Test
    void successDoesNotResetTheFailureCount() throws Exception {
        // With one valid account an attacker must not be able to clear the count between guesses.
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.authLimits(c, 3, Duration.ofMillis(50)))) {
            server.addUser("alice", PASSWORD);
            try (SmtpTestClient c = authReady(server)) {
                for (int i = 0; i < 2; i++) {
                    assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", WRONG)).code()).isEqualTo(535);
                }
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).line())
                        .isEqualTo("235 2.7.0 Authentication successful");
            }
            try (SmtpTestClient c = authReady(server)) {
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("bob", WRONG)).code()).isEqualTo(535);
                assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", PASSWORD)).line())
                        .startsWith("454 4.7.0 Too many failed authentication attempts");
            }
        }
    }

    private static SmtpTestClient authReady(TestServer server) throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(server.submissionPort());
        assertThat(c.read().code()).isEqualTo(220);
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        c.startTls(server.clientTls());
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        return c;
    }

    private String render(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getFormattedMessage());
        for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) sb.append(' ').append(t.getMessage());
        return sb.toString();
    }
}
