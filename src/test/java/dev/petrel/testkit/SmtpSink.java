package dev.petrel.testkit;

import java.io.IOException;
import java.net.InetAddress;
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
 * Postfix's {@code smtp-sink} as a remote SMTP server for delivery tests: one process listening on
 * a loopback address (for MX tests, port 25 of 127.0.0.x or ::1), capturing every transaction into
 * its own directory ({@code -d}) and logging every command ({@code -v}), with any extra options (such as {@code -r RCPT -b "451 ..."} to
 * answer RCPT with 451, or {@code -f RCPT -B "550 ..."} for 550).
 *
 * <pre>
 * try (SmtpSink sink = SmtpSink.start(dir, "127.0.0.2", 25, "-r", "RCPT", "-b", "451 4.7.1 later")) {
 *     ... deliver ...
 *     assertThat(sink.messages()).hasSize(1);
 * }
 * </pre>
 *
 * <p>Bounded: the process runs under {@code timeout -s KILL} ({@value #MAX_LIFETIME_SECONDS} s),
 * and {@link #close} kills it and waits until it is gone, so the address is free again. Needs root
 * for port 25 (it runs with {@code -u root}).
 */
public final class SmtpSink implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/smtp-sink");
    static final int MAX_LIFETIME_SECONDS = 120;

    /**
     * One captured transaction.
     *
     * @param clientAddr the client's address as smtp-sink saw it ({@code 127.0.0.1}, {@code ipv6:::1})
     * @param mailArgs the MAIL FROM arguments, e.g. {@code <a@example.com>}
     * @param rcptArgs the RCPT TO arguments in order
     * @param content  the message as received (LF line endings, dot-stuffing undone), without
     *                 smtp-sink's own headers; null when the transaction had no complete DATA
     */
    public record Captured(Path file, String clientAddr, String mailArgs, List<String> rcptArgs, String content) {}

    private final Process process;
    private final Path dumps;
    private final Path stderr;
    private final String address;

    private SmtpSink(Process process, Path dumps, Path stderr, String address) {
        this.process = process;
        this.dumps = dumps;
        this.stderr = stderr;
        this.address = address;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts smtp-sink on {@code host:port} and returns once it accepts connections. */
    public static SmtpSink start(Path workDir, String host, int port, String... options) throws IOException {
        Path dir = Files.createTempDirectory(workDir, "sink-");
        Path dumps = dir.resolve("dumps");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        String listen = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL", String.valueOf(MAX_LIFETIME_SECONDS),
                BINARY.toString(), "-u", "root", "-h", "sink." + host.replace(':', '-'), "-t", "10", "-v",
                "-d", dumps + "/m."));
        command.addAll(List.of(options));
        command.add(listen);
        command.add("50");
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        SmtpSink sink = new SmtpSink(p, dumps, err, listen);
        try {
            sink.awaitListening(InetAddress.getByName(host), port);
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    private void awaitListening(InetAddress host, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("smtp-sink on " + address + " exited with " + process.exitValue() + ": " + stderrText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IOException("smtp-sink on " + address + " is not listening: " + stderrText());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    public String address() {
        return address;
    }

    /** Every transaction captured so far that carried a complete message, oldest file first. */
    public List<Captured> messages() throws IOException {
        return all().stream().filter(c -> c.content() != null).toList();
    }

    /**
     * How many times a client sent {@code verb} ("MAIL", "RCPT", "DATA", ..., any case; smtp-sink
     * runs with {@code -v}, which logs every command to stderr as sent), whatever the answer was. Counts attempts
     * that leave no capture file, such as a transaction whose RCPT was refused.
     */
    public int commands(String verb) {
        String prefix = (BINARY + ": " + verb + " ").toLowerCase(java.util.Locale.ROOT);
        String bare = (BINARY + ": " + verb).toLowerCase(java.util.Locale.ROOT); // QUIT, DATA: no argument
        return (int) stderrText().lines().map(l -> l.toLowerCase(java.util.Locale.ROOT))
                .filter(l -> l.startsWith(prefix) || l.equals(bare)).count();
    }

    /** Every transaction captured so far, complete or not. */
    public List<Captured> all() throws IOException {
        if (!Files.isDirectory(dumps)) return List.of();
        List<Path> files;
        try (Stream<Path> s = Files.list(dumps)) {
            files = s.sorted((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return a.compareTo(b);
                }
            }).toList();
        }
        List<Captured> out = new ArrayList<>();
        for (Path f : files) out.add(parse(f, Files.readString(f, StandardCharsets.ISO_8859_1)));
        return out;
    }

    /**
     * The dump format (man smtp-sink): X-Client-Addr, X-Client-Proto, X-Helo-Args, X-Mail-Args,
     * X-Rcpt-Args lines, then smtp-sink's three-line Received header, the message, and one empty line.
     */
    static Captured parse(Path file, String text) {
        String[] lines = text.split("\n", -1);
        String client = null;
        String mail = null;
        List<String> rcpts = new ArrayList<>();
        int i = 0;
        for (; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("X-Client-Addr: ")) client = l.substring(15);
            else if (l.startsWith("X-Mail-Args: ")) mail = l.substring(13);
            else if (l.startsWith("X-Rcpt-Args: ")) rcpts.add(l.substring(13));
            else if (l.startsWith("Received: ")) break;
        }
        if (i >= lines.length) return new Captured(file, client, mail, rcpts, null);
        i++;
        while (i < lines.length && (lines[i].startsWith("\t") || lines[i].startsWith(" "))) i++;
        // Complete: the message, smtp-sink's empty line, and the final newline (an empty last element).
        if (lines.length - i < 2 || !lines[lines.length - 1].isEmpty() || !lines[lines.length - 2].isEmpty()) {
            return new Captured(file, client, mail, rcpts, null);
        }
        StringBuilder content = new StringBuilder();
        for (int k = i; k < lines.length - 2; k++) content.append(lines[k]).append('\n');
        return new Captured(file, client, mail, rcpts, content.toString());
    }

    private String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    /** Kills smtp-sink (and its {@code timeout} wrapper) and waits until both are gone. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            for (ProcessHandle h : children) h.onExit().get(5, TimeUnit.SECONDS);
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("smtp-sink on " + address + " did not exit", e);
        }
    }

    @Override
    public String toString() {
        return "smtp-sink[" + address + "]";
    }

    /** For assertion messages: the address and whatever smtp-sink printed on stderr. */
    public String describe() {
        return this + " stderr: " + stderrText();
    }
}
