package dev.petrel.delivery.local;

import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(30)
class MaildirTransportTest {
    private static final String BODY = "Received: from client.test by mx.petrel.test; Sat, 1 Mar 2026 12:00:00 +0000\r\n"
            + "Subject: hello\r\n\r\nline one\r\n\r\nbare\rcr and a last line\r\n";

    @TempDir Path dir;

    private static Delivery delivery(String sender, String content, Envelope.BodyType body, String... rcpts) {
        List<Recipient> rs = Arrays.stream(rcpts).map(r -> Recipient.of(new MailAddress(r.substring(0, r.indexOf('@')),
                r.substring(r.indexOf('@') + 1)))).toList();
        MailAddress from = sender == null ? null : new MailAddress(sender.substring(0, sender.indexOf('@')),
                sender.substring(sender.indexOf('@') + 1));
        Envelope e = new Envelope(from, rs, body, false, null, null, null, IpLiteral.parse("192.0.2.1"),
                "client.test", "smtp", null, Instant.parse("2026-03-01T12:00:00Z"));
        return new Delivery(QueueId.generate(System.currentTimeMillis()), e, rs, content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Path> files(Path d) throws IOException {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void deliversIntoNewWithReturnPathAndDeliveredToAndTheExactContent() throws Exception {
        MaildirTransport t = new MaildirTransport(dir.resolve("mail"), "mx.petrel.test");
        List<DeliveryStatus> st = t.deliver(delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"),
                new Route.Local("alice"));

        assertThat(st).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.dsn()).isEqualTo("2.0.0");
            assertThat(s.relay()).isEqualTo("local");
            assertThat(s.reply()).isEqualTo("delivered to maildir");
            assertThat(s.recipient()).hasToString("alice@petrel.test");
        });
        Path box = dir.resolve("mail/alice");
        assertThat(files(box.resolve("tmp"))).isEmpty();
        assertThat(files(box.resolve("cur"))).isEmpty();
        List<Path> delivered = files(box.resolve("new"));
        assertThat(delivered).hasSize(1);
        assertThat(Files.readString(delivered.getFirst())).isEqualTo("Return-Path: <s@example.org>\n"
                + "Delivered-To: alice@petrel.test\n"
                + "Received: from client.test by mx.petrel.test; Sat, 1 Mar 2026 12:00:00 +0000\n"
                + "Subject: hello\n\nline one\n\nbare\rcr and a last line\n");
        assertThat(delivered.getFirst().getFileName().toString())
                .matches("\\d+\\.M\\d+P" + ProcessHandle.current().pid() + "Q\\d+\\.mx\\.petrel\\.test");
        for (Path p : List.of(dir.resolve("mail"), box, box.resolve("tmp"), box.resolve("new"), box.resolve("cur"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(delivered.getFirst()))).isEqualTo("rw-------");
    }

    @Test
    void nullSenderAndBinaryMimeKeepTheirBytes() throws Exception {
        MaildirTransport t = new MaildirTransport(dir, "h");
        t.deliver(delivery(null, "Subject: x\r\n\r\n\u0000\r\n", Envelope.BodyType.BINARY_MIME, "bob@petrel.test"),
                new Route.Local("bob"));
        assertThat(Files.readString(files(dir.resolve("bob/new")).getFirst()))
                .isEqualTo("Return-Path: <>\r\nDelivered-To: bob@petrel.test\r\nSubject: x\r\n\r\n\u0000\r\n");
    }

    @Test
    void twoRecipientsGetTwoFilesEachWithItsOwnDeliveredTo() throws Exception {
        MaildirTransport t = new MaildirTransport(dir, "h");
        List<DeliveryStatus> st = t.deliver(delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT,
                "alice@petrel.test", "alice+lists@petrel.test"), new Route.Local("alice"));
        assertThat(st).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED, Outcome.DELIVERED);
        List<Path> delivered = files(dir.resolve("alice/new"));
        assertThat(delivered).hasSize(2);
        List<String> deliveredTo = delivered.stream().map(p -> {
            try {
                return Files.readAllLines(p).get(1);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).sorted().toList();
        assertThat(deliveredTo).containsExactly("Delivered-To: alice+lists@petrel.test", "Delivered-To: alice@petrel.test");
    }

    @Test
    void hostnameEscapesSlashAndColon() throws Exception {
        new MaildirTransport(dir, "a/b:c").deliver(delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT,
                "alice@petrel.test"), new Route.Local("alice"));
        assertThat(files(dir.resolve("alice/new")).getFirst().getFileName().toString()).endsWith(".a\\057b\\072c");
    }

    @Test
    void aMaildirRootThatCannotBeADirectoryIsATemporaryFailure() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        List<DeliveryStatus> st = new MaildirTransport(notADir, "h").deliver(
                delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"), new Route.Local("alice"));
        assertThat(st).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.2.0");
            assertThat(s.reply()).isEqualTo("maildir delivery failed: " + notADir + ": FileAlreadyExistsException");
        });
    }

    @Test
    void anUnwritableMaildirRootIsATemporaryFailure() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root ignores file permissions");
        Path root = Files.createDirectory(dir.resolve("mail"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-x------"));
        try {
            List<DeliveryStatus> st = new MaildirTransport(root, "h").deliver(
                    delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"), new Route.Local("alice"));
            assertThat(st).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.2.0");
                assertThat(s.reply()).contains("Permission denied");
            });
        } finally {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFullDiskIsATemporaryFailureAndLeavesNothingBehind() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): "
                + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            String big = "Subject: big\r\n\r\n" + "x".repeat(998).concat("\r\n").repeat(200);
            List<DeliveryStatus> st = new MaildirTransport(mount, "h").deliver(
                    delivery("s@example.org", big, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"), new Route.Local("alice"));
            assertThat(st).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.3.0");
                assertThat(s.reply()).contains("No space left on device");
            });
            assertThat(files(mount.resolve("alice/new"))).isEmpty();
            assertThat(files(mount.resolve("alice/tmp"))).isEmpty();
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeliveredToNamingTheRecipientIsALoop() throws Exception {
        MaildirTransport t = new MaildirTransport(dir, "h");
        String looped = "Delivered-To: other@petrel.test\r\nDelivered-To:\r\n <ALICE@petrel.test>\r\nSubject: x\r\n\r\n"
                + "Delivered-To: bob@petrel.test\r\n";   // in the body: not a header, no loop for bob
        List<DeliveryStatus> st = t.deliver(delivery("s@example.org", looped, Envelope.BodyType.SEVEN_BIT,
                "alice@petrel.test", "bob@petrel.test"), new Route.Local("alice"));
        assertThat(st.get(0).outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(st.get(0).dsn()).isEqualTo("5.4.6");
        assertThat(st.get(0).reply()).startsWith("mail forwarding loop for alice@petrel.test");
        assertThat(st.get(1).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(files(dir.resolve("alice/new"))).hasSize(1);
    }

    @Test
    void tooManyReceivedHeadersIsALoop() throws Exception {
        MaildirTransport t = new MaildirTransport(dir, "h");
        String fifty = "Received: from a\r\n\tby b; Sat, 1 Mar 2026 12:00:00 +0000\r\n".repeat(50) + "Subject: x\r\n\r\nhi\r\n";
        assertThat(t.deliver(delivery("s@example.org", fifty, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"),
                new Route.Local("alice")).getFirst().outcome()).isEqualTo(Outcome.DELIVERED);
        DeliveryStatus s = t.deliver(delivery("s@example.org", "Received: x\r\n" + fifty, Envelope.BodyType.SEVEN_BIT,
                "alice@petrel.test"), new Route.Local("alice")).getFirst();
        assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(s.dsn()).isEqualTo("5.4.6");
        assertThat(s.reply()).contains("more than 50 Received: headers");
    }

    @Test
    void anUnsafeMailboxNameIsDeferredAndWritesNothing() throws Exception {
        MaildirTransport t = new MaildirTransport(dir.resolve("mail"), "h");
        DeliveryStatus s = t.deliver(delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT, "alice@petrel.test"),
                new Route.Local("../escape")).getFirst();
        assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
        assertThat(s.dsn()).isEqualTo("4.3.5");
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void otherRoutesAreAProgrammingError() {
        MaildirTransport t = new MaildirTransport(dir, "h");
        assertThatThrownBy(() -> t.deliver(delivery("s@example.org", BODY, Envelope.BodyType.SEVEN_BIT, "a@b.test"),
                new Route.Refuse("5.1.1", "no"))).isInstanceOf(IllegalArgumentException.class);
    }
}
