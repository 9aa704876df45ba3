package dev.petrel.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;
import dev.petrel.queue.QueueControl.State;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code petrel queue ...} end to end against a running AdminServer over a fake queue. */
class QueueCommandTest {
    static final QueueId A = new QueueId("00VcKlFNi103rj9T");
    static final QueueId B = new QueueId("00VcKlGAb7Qx2mPz");
    static final String REFUSED = "connect to mx.example.com[192.0.2.1]:25: Connection refused";

    @TempDir
    Path dataDir;

    private final FakeQueueControl queue = new FakeQueueControl();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void startServer() throws IOException {
        server = new AdminServer(AdminServerTest.loopback(), queue, dataDir).start();
    }

    /** Runs {@code queue ARGS --data-dir <dataDir>}, times in UTC; returns the exit code. */
    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        QueueCommand command = new QueueCommand();
        command.zone = ZoneOffset.UTC;
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dataDir.toString();
        return new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all);
    }

    private void twoMessages() {
        queue.add(new QueueEntry(A, 460, Instant.parse("2020-11-29T04:38:58Z"), "alice@example.com", false, List.of(
                new RecipientState("carol@example.org", State.DELIVERED, 1, null, null),
                new RecipientState("bob@example.org", State.DEFERRED, 2, Instant.parse("2020-11-29T05:08:58Z"), REFUSED))));
        queue.add(new QueueEntry(B, 1700, Instant.parse("2020-12-03T17:05:09Z"), "", true, List.of(
                new RecipientState("new@example.net", State.PENDING, 0, null, null),
                new RecipientState("x@example.net", State.DEFERRED, 1, null,
                        "host mx.example.net[198.51.100.7] said: 451 4.7.1 Greylisted, try again later (in reply to RCPT TO command)"),
                new RecipientState("y@example.net", State.DEFERRED, 1, null,
                        "host mx.example.net[198.51.100.7] said: 451 4.7.1 Greylisted, try again later (in reply to RCPT TO command)"))));
    }

    @Test
    void listPrintsLikeMailq() throws IOException {
        twoMessages();
        startServer();
        assertThat(run("list")).isZero();
        String greylisted = "(host mx.example.net[198.51.100.7] said: 451 4.7.1 Greylisted, try again later (in reply to RCPT TO command))";
        assertThat(out.toString()).isEqualTo(String.join("\n",
                "-Queue ID-       --Size-- ----Arrival Time---- -Sender/Recipient-------",
                "00VcKlFNi103rj9T      460 Sun Nov 29 04:38:58  alice@example.com",
                // Postfix right-aligns a short reason to column 78.
                " ".repeat(76 - REFUSED.length()) + "(" + REFUSED + ")",
                "                                         bob@example.org",
                "",
                "00VcKlGAb7Qx2mPz!    1700 Thu Dec  3 17:05:09  MAILER-DAEMON",
                greylisted,
                "                                         x@example.net",
                "                                         y@example.net",
                "                                         new@example.net",
                "",
                "-- 3 Kbytes in 2 Requests.",
                ""));
        assertThat(err.toString()).isEmpty();
        assertThat(queue.mutations).hasValue(0);
    }

    @Test
    void emptyQueue() throws IOException {
        startServer();
        assertThat(run("list")).isZero();
        assertThat(out.toString()).isEqualTo("Mail queue is empty\n");
    }

    @Test
    void oneSmallMessageCountsAsOneKbyte() {
        assertThat(Mailq.format(List.of(new QueueEntry(A, 10, Instant.EPOCH, "a@b", false, List.of())), ZoneOffset.UTC))
                .endsWith("\n-- 1 Kbytes in 1 Request.\n");
    }

    @Test
    void showPrintsEveryField() throws IOException {
        twoMessages();
        startServer();
        assertThat(run("show", A.value())).isZero();
        assertThat(out.toString()).isEqualTo(String.join("\n",
                "Queue ID:   00VcKlFNi103rj9T",
                "Size:       460 bytes",
                "Arrival:    2020-11-29T04:38:58Z (2020-11-29T04:38:58Z)",
                "Sender:     alice@example.com",
                "Recipients: 2",
                "  carol@example.org",
                "    state:        DELIVERED",
                "    attempts:     1",
                "    next attempt: -",
                "    last error:   -",
                "  bob@example.org",
                "    state:        DEFERRED",
                "    attempts:     2",
                "    next attempt: 2020-11-29T05:08:58Z",
                "    last error:   " + REFUSED,
                ""));

        assertThat(run("show", B.value())).isZero();
        assertThat(out.toString()).startsWith("Queue ID:   00VcKlGAb7Qx2mPz (held)\n").contains("Sender:     <>\n");
    }

    @Test
    void actionsPrintOneLine() throws IOException {
        twoMessages();
        startServer();
        assertThat(run("flush")).isZero();
        assertThat(out.toString()).isEqualTo("flushed 2 messages\n");
        assertThat(run("flush", A.value())).isZero();
        assertThat(out.toString()).isEqualTo("flushed 1 message\n");

        assertThat(run("hold", A.value())).isZero();
        assertThat(out.toString()).isEqualTo("held " + A + "\n");
        assertThat(queue.show(A).orElseThrow().held()).isTrue();
        assertThat(run("release", A.value())).isZero();
        assertThat(out.toString()).isEqualTo("released " + A + "\n");
        assertThat(queue.show(A).orElseThrow().held()).isFalse();
        assertThat(run("bounce", A.value())).isZero();
        assertThat(out.toString()).isEqualTo("bounced " + A + "\n");
        assertThat(run("delete", B.value())).isZero();
        assertThat(out.toString()).isEqualTo("deleted " + B + "\n");

        assertThat(queue.calls).containsExactly("flush ALL", "flush " + A, "hold " + A, "release " + A,
                "bounce " + A, "delete " + B);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unknownMessageExitsOne() throws IOException {
        startServer();
        for (String sub : new String[] {"show", "flush", "hold", "release", "delete", "bounce"}) {
            assertThat(run(sub, A.value())).as(sub).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("petrel queue: no such message: " + A + "\n");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void badIdExitsOneWithoutAsking() throws IOException {
        startServer();
        assertThat(run("hold", "../etc")).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel queue: not a queue id: '../etc'");
        assertThat(queue.mutations).hasValue(0);
    }

    @Test
    void noRunningServer() {
        assertThat(run("list")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("petrel queue: no running server found (no "
                + dataDir.resolve("admin.address") + "); start it with ./petrel serve\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void staleAddressFileAfterACrash() throws IOException {
        startServer();
        String address = Files.readString(dataDir.resolve("admin.address"));
        String token = Files.readString(dataDir.resolve("admin.token"));
        server.close();
        // What kill -9 leaves behind: the files of a server that no longer listens.
        Files.writeString(dataDir.resolve("admin.address"), address);
        Files.writeString(dataDir.resolve("admin.token"), token);
        assertThat(run("list")).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel queue: no running server at " + address.trim());
    }

    @Test
    void wrongTokenSaysSo() throws IOException {
        startServer();
        Files.writeString(dataDir.resolve("admin.token"), "0".repeat(64) + "\n");
        assertThat(run("list")).isEqualTo(1);
        assertThat(err.toString()).startsWith("petrel queue: the server refused the token in " + dataDir.resolve("admin.token"));
    }

    @Test
    void dataDirComesFromTheConfig() throws IOException {
        twoMessages();
        startServer();
        Path config = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + ".toml"),
                "[server]\ndata_dir = \"" + dataDir.toString().replace("\\", "\\\\") + "\"\n");
        try {
            out.getBuffer().setLength(0);
            QueueCommand command = new QueueCommand();
            int code = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute("hold", A.value(), "--config", config.toString());
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).isEqualTo("held " + A + "\n");
        } finally {
            Files.delete(config);
        }
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertThat(new CommandLine(new QueueCommand()).setErr(new PrintWriter(err, true)).execute()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");
    }
}
