package dev.petrel.cli;

import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code petrel sendmail} against a running Petrel over a real socket, as PHP's mail() or cron would call it. */
@Timeout(60)
class SendmailCommandTest {
    @TempDir Path dir;
    private TestPetrel petrel;
    private Path config;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "app.example.com"
                data_dir = "data"

                [relay]
                local_domains = ["example.com"]

                [mail_auth]
                verify = false

                [delivery]
                enabled = false
                """, TestPetrel.listener("mx", MX, STARTTLS));
        config = dir.resolve("sendmail.toml");
        Files.writeString(config, """
                [server]
                hostname = "app.example.com"
                data_dir = "%s"

                [[listener]]
                name = "mx"
                address = "0.0.0.0:%d"
                """.formatted(dir.resolve("sendmail-data"), petrel.port("mx")));
    }

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
    }

    private int sendmail(String stdin, String... args) {
        SendmailCommand c = new SendmailCommand();
        picocli.CommandLine line = new picocli.CommandLine(c);
        c.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return line.execute(all);
    }

    @Test
    void recipientsFromTheArgumentsAndAnEndingDotLikeSendmail() throws Exception {
        int code = sendmail("Subject: nightly report\n\nall good\n.\nnot part of it\n", "-f", "cron@app.example.com", "ops@ops.example.net");

        assertThat(code).as(err.toString()).isZero();
        List<SpooledMessage> queued = petrel.queued();
        assertThat(queued).hasSize(1);
        SpooledMessage m = queued.getFirst();
        assertThat(m.envelope().senderText()).isEqualTo("cron@app.example.com");
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("ops@ops.example.net");
        String content = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(content).contains("Subject: nightly report\r\n", "\r\n\r\nall good\r\n")
                .contains("From: cron@app.example.com\r\n", "Message-ID: <", "Date: ")
                .doesNotContain("not part of it");
    }

    @Test
    void dashTTakesTheRecipientsFromTheHeaderAndDropsBcc() throws Exception {
        int code = sendmail("""
                From: App <app@example.com>
                To: alice@partner.example.net, "Bob" <bob@partner.example.net>
                Bcc: audit@audit.example.net
                Subject: welcome

                .leading dot stays with -i
                """, "-t", "-i");

        assertThat(code).as(err.toString()).isZero();
        SpooledMessage m = petrel.queued().getFirst();
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("alice@partner.example.net", "bob@partner.example.net", "audit@audit.example.net");
        String content = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(content).doesNotContain("Bcc:").doesNotContain("audit@").contains("From: App <app@example.com>\r\n")
                .contains(".leading dot stays with -i");
    }

    @Test
    void eightBitBodiesPassThroughByteForByteWhateverTheirCharset() throws Exception {
        byte[] latin1 = "Subject: caf\u00e9\n\nGr\u00fc\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1);
        SendmailCommand c = new SendmailCommand();
        c.in = new java.io.ByteArrayInputStream(latin1);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(new picocli.CommandLine(c).execute("--config", config.toString(), "-i", "ops@ops.example.net")).as(err.toString()).isZero();
        byte[] stored = petrel.queued().getFirst().content();
        assertThat(indexOf(stored, "\r\n\r\nGr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.ISO_8859_1))).isPositive();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void aRefusedRecipientOrNoRecipientOrNoServerSaySoWithSendmailsExitCodes() throws Exception {
        assertThat(sendmail("Subject: x\n\nhi\n", "nobody@example.com")).as("an unknown local user is refused for good")
                .isEqualTo(SendmailCommand.EX_NOUSER);
        assertThat(err.toString()).contains("<nobody@example.com>: 550 5.1.1");
        assertThat(sendmail("Subject: x\n\nhi\n")).isEqualTo(SendmailCommand.EX_USAGE);
        petrel.close();
        petrel = null;
        assertThat(sendmail("Subject: x\n\nhi\n", "ops@ops.example.net")).as("nothing listening: try again later")
                .isEqualTo(SendmailCommand.EX_TEMPFAIL);
    }
}
