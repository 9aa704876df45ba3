package dev.petrel.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Real {@code petrel serve} processes (child JVMs on this test's class path) for tests that kill
 * the server with SIGKILL: start on a free port and wait until it accepts, kill and check that
 * SIGKILL ended it, and one log of everything every process printed ({@code #n} = the n-th start),
 * for failure messages. {@link #close} kills whatever is still running.
 */
public final class PetrelProcesses implements AutoCloseable {
    private static final int LOG_TAIL = 16_000;

    /** A running {@code petrel serve}: its process, listener port and start number. */
    public record Server(Process process, int port, int number) {}

    private final StringBuffer log = new StringBuffer();
    private final List<Server> started = new ArrayList<>();
    private int starts;

    /**
     * Writes {@code config.apply(port)} to {@code configFile} for a free port, starts
     * {@code petrel serve} with it and waits (30 s at most) until the port accepts. A port taken
     * meanwhile by someone else is retried twice.
     */
    public Server start(Path configFile, IntFunction<String> config) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Files.writeString(configFile, config.apply(port));
            int number = ++starts;
            String java = ProcessHandle.current().info().command().orElseThrow();
            // Quick-start flags only: they change nothing about how the spool writes.
            Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"),
                    "dev.petrel.cli.Main", "serve", "--config", configFile.toString())
                    .redirectErrorStream(true)
                    .start();
            Server server = new Server(p, port, number);
            started.add(server);
            Thread.ofVirtual().name("server-output-" + number).start(() -> copyOutput(p.getInputStream(), number));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    return server;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                fail("petrel serve #" + number + " did not accept on port " + port + " within 30 s" + diag());
            }
            p.waitFor(5, TimeUnit.SECONDS);
            boolean portRace = log.indexOf("cannot bind", 0) >= 0 && attempt < 3;
            if (!portRace) fail("petrel serve #" + number + " exited with " + p.exitValue() + " at start" + diag());
        }
    }

    /** SIGKILL, and check that it was SIGKILL that ended the process (exit status 128 + 9). */
    public void kill(Server server) throws InterruptedException {
        server.process().destroyForcibly();
        assertThat(server.process().waitFor(10, TimeUnit.SECONDS)).as("server #%d died after SIGKILL", server.number()).isTrue();
        assertThat(server.process().exitValue()).as("server #%d ended by SIGKILL%s", server.number(), diag()).isEqualTo(137);
        assertThat(server.process().toHandle().isAlive()).isFalse();
    }

    /** Everything the processes printed so far (search it with indexOf from a remembered length). */
    public StringBuffer log() {
        return log;
    }

    /** How many processes were started. */
    public int starts() {
        return starts;
    }

    /** The tail of {@link #log}, to append to a failure message. */
    public String diag() {
        int length = log.length();
        String tail = length > LOG_TAIL ? "...\n" + log.substring(length - LOG_TAIL) : log.toString();
        return "\n--- petrel serve output (#n = server start) ---\n" + tail + "--- end of output ---";
    }

    @Override
    public void close() {
        for (Server s : started) s.process().destroyForcibly();
    }

    private void copyOutput(InputStream in, int number) {
        try (in) {
            byte[] buf = new byte[8192];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    line.write(buf[i]);
                    if (buf[i] == '\n') {
                        log.append('#').append(number).append(' ').append(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    }
                }
            }
            if (line.size() > 0) log.append('#').append(number).append(' ').append(line.toString(StandardCharsets.UTF_8)).append('\n');
        } catch (IOException e) {
            log.append('#').append(number).append(" (output read failed: ").append(e).append(")\n");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
