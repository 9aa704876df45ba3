package dev.petrel.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python's smtplib, the client behind countless scripts, cron jobs and web apps: implicit TLS
 * (465 style), STARTTLS + login (587 style), SMTPUTF8 with send_message, and a wrong password.
 * The client side lives in {@code src/test/resources/interop/smtplib_client.py}.
 */
@Timeout(60)
class PythonSmtplibInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MESSAGE = ("From: alice@petrel.test\r\n"
            + "To: bob@elsewhere.test\r\n"
            + "Subject: from smtplib\r\n"
            + "Message-ID: <py-1@py.petrel.test>\r\n"
            + "\r\n"
            + "first line\r\n"
            + ".a line that starts with a dot\r\n"
            + "..and one with two\r\n"
            + "last line\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private TestServer server;
    private Path script;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir.resolve("server"));
        server.addUser("alice", "s3cret pass");
        script = dir.resolve("smtplib_client.py");
        try (InputStream in = getClass().getResourceAsStream("/interop/smtplib_client.py")) {
            Files.copy(in, script);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void smtpSslOnTheSubmissionsPortWithLogin() throws Exception {
        Run run = python("ssl", server.submissionsPort(), "s3cret pass");
        assertThat(run.json().path("tls").asText()).as(run.toString()).isEqualTo("TLSv1.3");
        assertThat(run.json().path("login").get(0).asInt()).as(run.toString()).isEqualTo(235);
        assertThat(run.json().path("data").get(0).asInt()).as(run.toString()).isEqualTo(250);

        SpooledMessage m = onlyMessage();
        assertThat(run.json().path("data").get(1).asText()).isEqualTo("2.0.0 Ok: queued as " + m.id().value());
        assertThat(m.envelope().listener()).isEqualTo("submissions");
        assertThat(m.envelope().helo()).isEqualTo("py.petrel.test");
        assertSubmitted(m);
    }

    @Test
    void starttlsThenLoginOnTheSubmissionPort() throws Exception {
        Run run = python("starttls", server.submissionPort(), "s3cret pass");
        assertThat(run.json().path("starttls_offered").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.json().path("starttls").get(0).asInt()).as(run.toString()).isEqualTo(220);
        assertThat(run.json().path("tls").asText()).isEqualTo("TLSv1.3");
        assertThat(run.json().path("login").get(0).asInt()).isEqualTo(235);
        assertThat(run.json().path("data").get(0).asInt()).as(run.toString()).isEqualTo(250);

        SpooledMessage m = onlyMessage();
        assertThat(m.envelope().listener()).isEqualTo("submission");
        assertSubmitted(m);
    }

    @Test
    void wrongPasswordIsSmtpAuthenticationError535() throws Exception {
        Run run = python("badauth", server.submissionPort(), "not the password");
        assertThat(run.json().path("auth_error").get(0).asInt()).as(run.toString()).isEqualTo(535);
        assertThat(run.json().path("auth_error").get(1).asText()).isEqualTo("5.7.8 Authentication credentials invalid");
        assertThat(run.json().path("mail_after_failure").get(0).asInt()).isEqualTo(530);
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void sendMessageWithSmtpUtf8ToAUtf8LocalAddressOnMx() throws Exception {
        Path expected = dir.resolve("expected.eml");
        Map<String, Object> args = args("utf8", server.mxPort(), "", "grüße@example.test", List.of("用户@petrel.test"));
        args.put("expected_file", expected.toString());
        Run run = python(args);
        assertThat(run.json().path("smtputf8_offered").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.json().path("refused").size()).as(run.toString()).isZero();
        assertThat(run.json().path("noop").get(0).asInt()).isEqualTo(250);

        SpooledMessage m = onlyMessage();
        assertThat(m.envelope().smtpUtf8()).isTrue();
        assertThat(m.envelope().sender()).hasToString("grüße@example.test");
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("用户@petrel.test");
        assertThat(m.envelope().authIdentity()).isNull();
        assertThat(m.envelope().tls()).isNull();
        assertThat(m.envelope().listener()).isEqualTo("smtp");
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("UTF8SMTP");
        assertThat(spooled.received()).contains("for <用户@petrel.test>");
        assertThat(spooled.original()).as(run.toString()).isEqualTo(Files.readAllBytes(expected));
        assertThat(spooled.originalText()).contains("Subject: Grüße aus Zürich — 你好", ".eine Zeile mit Punkt");
    }

    private void assertSubmitted(SpooledMessage m) {
        assertThat(m.envelope().sender()).hasToString("alice@petrel.test");
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("bob@elsewhere.test", "carol@petrel.test");
        assertThat(m.envelope().authIdentity()).isEqualTo("alice");
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTPSA");
        assertThat(spooled.original()).as("dot-stuffed by smtplib, unstuffed by Petrel").isEqualTo(MESSAGE);
    }

    private SpooledMessage onlyMessage() throws IOException {
        List<SpooledMessage> all = server.messages();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private Run python(String mode, int port, String password) throws Exception {
        Path message = dir.resolve("message.eml");
        Files.write(message, MESSAGE);
        Map<String, Object> args = args(mode, port, password, "alice@petrel.test",
                List.of("bob@elsewhere.test", "carol@petrel.test"));
        args.put("message_file", message.toString());
        return python(args);
    }

    private Map<String, Object> args(String mode, int port, String password, String sender, List<String> recipients) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", mode);
        a.put("port", port);
        a.put("cafile", server.certificateFile().toString());
        a.put("user", "alice");
        a.put("password", password);
        a.put("sender", sender);
        a.put("recipients", recipients);
        return a;
    }

    /** Runs the script; the JSON it prints is parsed, and the whole run goes into assertion messages. */
    private Run python(Map<String, Object> args) throws Exception {
        Path argsFile = Files.createTempFile(dir, "args", ".json");
        Files.write(argsFile, JSON.writeValueAsBytes(args));
        ExternalTool.Result r = ExternalTool.run(dir, LIMIT, List.of("python3", script.toString(), argsFile.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String lastLine = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        return new Run(r, JSON.readTree(lastLine));
    }

    private record Run(ExternalTool.Result result, JsonNode json) {
        @Override
        public String toString() {
            return result.toString();
        }
    }
}
