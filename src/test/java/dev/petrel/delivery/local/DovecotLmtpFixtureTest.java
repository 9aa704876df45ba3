package dev.petrel.delivery.local;

import dev.petrel.testkit.TestDovecot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the {@link TestDovecot} fixture: a real Dovecot takes a message over LMTP (RFC 2033) on a
 * raw socket, answers DATA once per accepted recipient, refuses an unknown user at RCPT, and the
 * message lands in each user's Maildir.
 */
@Timeout(60)
class DovecotLmtpFixtureTest {
    @TempDir Path dir;

    @Test
    void deliversOverLmtpIntoEachUsersMaildir() throws Exception {
        try (TestDovecot dovecot = TestDovecot.start(dir, "alice", "bob");
             Lmtp c = new Lmtp(new Socket(dovecot.lmtpAddress().getAddress(), dovecot.lmtpAddress().getPort()))) {
            assertThat(c.reply()).as(dovecot.output()).first().asString().startsWith("220 ");
            assertThat(c.command("LHLO petrel.test").getLast()).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@example.org>")).containsExactly("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:<alice@petrel.test>")).as(dovecot.output()).containsExactly("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<nobody@petrel.test>").getFirst())
                    .as(dovecot.output()).startsWith("550 5.1.1 <nobody@petrel.test>");
            assertThat(c.command("RCPT TO:<Bob@petrel.test>")).containsExactly("250 2.1.5 OK");
            assertThat(c.command("DATA").getFirst()).startsWith("354");
            c.send("Subject: over lmtp\r\nMessage-ID: <1@petrel.test>\r\n\r\nhello dovecot\r\n..dot\r\n.\r\n");
            // LMTP: one reply per accepted recipient, in RCPT order.
            assertThat(c.reply().getFirst()).as(dovecot.output()).startsWith("250 2.0.0 <alice@petrel.test>");
            assertThat(c.reply().getFirst()).as(dovecot.output()).startsWith("250 2.0.0 <Bob@petrel.test>");
            assertThat(c.command("QUIT").getFirst()).startsWith("221");

            for (String user : List.of("alice", "bob")) {
                List<Path> files = dovecot.newMessages(user);
                assertThat(files).as(user + "\n" + dovecot.output()).hasSize(1);
                String text = Files.readString(files.getFirst());
                // Dovecot adds Return-Path and its own Received, stores LF line ends, and undoes dot-stuffing.
                assertThat(text).startsWith("Return-Path: <s@example.org>\nReceived: from petrel.test")
                        .contains(" with LMTP\n")
                        .endsWith("Subject: over lmtp\nMessage-ID: <1@petrel.test>\n\nhello dovecot\n.dot\n");
            }
            assertThat(dovecot.maildir("nobody")).doesNotExist();
        }
    }

    @Test
    void closeStopsDovecot() throws Exception {
        TestDovecot dovecot = TestDovecot.start(dir, "alice");
        var address = dovecot.lmtpAddress();
        dovecot.close();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("dovecot")))
                .as("dovecot processes left running").isEmpty();
        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(address, 2000)).isInstanceOf(IOException.class);
        }
    }

    /** A minimal LMTP client that shows the exact reply lines. */
    private static final class Lmtp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Lmtp(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(15_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        List<String> command(String line) throws IOException {
            send(line + "\r\n");
            return reply();
        }

        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One reply: all its lines (a multi-line reply ends with "ddd "). */
        List<String> reply() throws IOException {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                if (line == null) throw new IOException("connection closed after " + lines);
                lines.add(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
