package dev.petrel.server;

import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A really full file system (a 1 MiB tmpfs mounted for the test; needs root, which CI has):
 * a message that does not fit is answered 452 4.3.1 after its data, nothing half-written is
 * left, and the next message that fits is accepted. With a reserve larger than the free space,
 * MAIL itself is answered 452 4.3.1.
 */
@Timeout(60)
class DiskFullTest {
    @TempDir
    Path temp;
    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = temp.resolve("small");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): "
                + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void messageThatDoesNotFitGets452AndNothingHalfWrittenRemains() throws Exception {
        try (TestServer server = TestServer.startWithSpoolReserve(mount.resolve("data"), 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.mxPort())) {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            ehlo(in, out); // then pipelining is allowed ([limits] forbid_unauth_pipelining)
            send(out, "MAIL FROM:<a@client.test>\r\nRCPT TO:<b@petrel.test>\r\nDATA\r\n");
            assertThat(in.readLine()).isEqualTo("250 2.1.0 Ok");
            assertThat(in.readLine()).isEqualTo("250 2.1.5 Ok");
            assertThat(in.readLine()).startsWith("354 ");
            send(out, ("x".repeat(76) + "\r\n").repeat(2 * 1024 * 1024 / 78) + ".\r\n");
            assertThat(in.readLine()).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
            assertThat(server.messages()).isEmpty();
            try (Stream<Path> tmp = Files.list(mount.resolve("data/spool/tmp"))) {
                assertThat(tmp).as("no half-written file left in tmp/").isEmpty();
            }

            send(out, "MAIL FROM:<a@client.test>\r\nRCPT TO:<b@petrel.test>\r\nDATA\r\n");
            assertThat(in.readLine()).isEqualTo("250 2.1.0 Ok");
            assertThat(in.readLine()).isEqualTo("250 2.1.5 Ok");
            assertThat(in.readLine()).startsWith("354 ");
            send(out, "Subject: small\r\n\r\nfits\r\n.\r\n");
            assertThat(in.readLine()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void mailIsRefusedWhileFreeSpaceIsBelowTheReserve() throws Exception {
        try (TestServer server = TestServer.startWithSpoolReserve(mount.resolve("data"), 8L * 1024 * 1024);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.mxPort())) {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            ehlo(in, out);
            send(out, "MAIL FROM:<a@client.test>\r\n");
            assertThat(in.readLine()).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
            assertThat(server.messages()).isEmpty();
        }
    }

    private static void ehlo(BufferedReader in, OutputStream out) throws IOException {
        send(out, "EHLO client.test\r\n");
        String line;
        do {
            line = in.readLine();
            assertThat(line).startsWith("250");
        } while (!line.startsWith("250 "));
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
