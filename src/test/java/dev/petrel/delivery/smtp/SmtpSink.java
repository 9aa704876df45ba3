package dev.petrel.delivery.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Postfix's {@code smtp-sink} on a free loopback port, dumping each transaction to a file in
 * {@code dir}. Extra arguments choose failures: {@code -r RCPT} (4xx), {@code -f RCPT} (5xx),
 * {@code -q MAIL} (drop the connection), {@code -r .} (4xx after the final dot).
 */
final class SmtpSink implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

    private final Process process;
    private final int port;
    private final Path dumps;

    private SmtpSink(Process process, int port, Path dumps) {
        this.process = process;
        this.port = port;
        this.dumps = dumps;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static SmtpSink start(Path dir, String... options) throws IOException, InterruptedException {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = Fixtures.freePort();
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-u", "root", "-t", "20",
                    "-d", dumps + "/msg."));
            cmd.addAll(List.of(options));
            cmd.addAll(List.of("127.0.0.1:" + port, "100"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("smtp-sink-" + port + ".log").toFile()).start();
            if (waitListening(p, port)) return new SmtpSink(p, port, dumps);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw new IOException("smtp-sink did not start; see " + dir);
    }

    private static boolean waitListening(Process p, int port) throws InterruptedException {
        for (int i = 0; i < 100 && p.isAlive(); i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Fixtures.LOOPBACK, port), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    int port() {
        return port;
    }

    /** The dumped transactions, each as text (smtp-sink writes LF line ends). */
    List<String> messages() throws IOException {
        try (Stream<Path> files = Files.list(dumps)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) out.add(Files.readString(f, StandardCharsets.UTF_8));
            return out;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
