package dev.petrel.queue;

import dev.petrel.testkit.PetrelProcesses;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * DESIGN habit 6 for the outbound side: a real {@code petrel serve} relays mail to a recording
 * SMTP sink through a static route and is killed with SIGKILL again and again in the middle of its
 * delivery runs, then restarted on the same data directory, until the queue drains.
 *
 * <p>The sink answers slowly after the final dot (so kills land while deliveries are in flight)
 * and defers some RCPTs with 451 (so multi-recipient messages make partial progress, recorded per
 * recipient in the status log). After every kill, before the restart, the test reads what the
 * spool recorded: {@code D} lines of each status log, and messages gone from {@code queue/}
 * (removed, so delivered to everyone). It remembers, per (message token, recipient), the sink's
 * count at that moment.
 *
 * <p>What it proves: every recipient of every acknowledged message reaches the sink at least once
 * (nothing forgotten across crashes); a delivery recorded before a kill is never repeated
 * afterwards (its sink count never grows); the status log is parseable, never records one
 * recipient delivered twice, and is removed with its message. Duplicates of deliveries that were in
 * flight but not yet recorded when the process died are SMTP's inherent window (the receiver has
 * the message, the sender never learnt it): they are allowed, counted and printed.
 *
 * <p>What it cannot prove: durability across a power cut (a killed process keeps the page cache).
 */
class DeliveryCrashTest {
    private static final String SINK_DOMAIN = "sink.test";
    private static final String SINK_HOST = "127.0.0.2";
    private static final int MESSAGES = 200;
    private static final int SENDERS = 4;
    private static final int KILLS = 5;
    /** Chance that the sink answers one RCPT with 451. */
    private static final double RCPT_DEFER = 0.2;
        private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-Za-z]{16})$");
    private static final Pattern TOKEN_HEADER = Pattern.compile("\r\nX-Petrel-Token: (\\S+)\r\n");

    @TempDir
    Path dir;

    private Path dataDir;
    private Path queueDir;
    private final PetrelProcesses processes = new PetrelProcesses();
    private final Random random = new Random();
    private Sink sink;

    /** Acknowledged messages: queue id to what was sent. */
    private final Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
    /** (token, recipient) recorded as delivered: when it was first seen recorded, and the sink's count then. */
    private final Map<String, Recorded> recorded = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int tornStatusLines;
    private int statusLinesRead;

    record Sent(String token, String sender, List<String> recipients, byte[] wire) {}

    record Recorded(int kill, int sinkCount, String how) {}

    @AfterEach
    void stopAll() {
        processes.close();
        if (sink != null) sink.close();
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void sigkillDuringDeliveryNeitherLosesNorRepeatsRecordedDeliveries() throws Exception {
        long begin = System.nanoTime();
        dataDir = dir.resolve("data");
        queueDir = dataDir.resolve("spool/queue");
        sink = new Sink(SINK_HOST);

        PetrelProcesses.Server server = start();
        sendLoad(server);
        int recipients = acknowledged.values().stream().mapToInt(s -> s.recipients().size()).sum();
        int multi = (int) acknowledged.values().stream().filter(s -> s.recipients().size() > 1).count();

        int killsMidData = 0;
        List<String> killNotes = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            Thread.sleep(500 + random.nextInt(1000));
            int inData = sink.inData.get();
            long acceptedBefore = sink.accepted.get();
            processes.kill(server);
            if (inData > 0) killsMidData++;
            int queued = snapshot(k);
            killNotes.add("kill " + k + ": " + inData + " DATA in flight, " + queued + " messages queued, sink accepted "
                    + acceptedBefore + " so far");
            assertThat(queued).as("kill %d landed while mail was still queued (load too small to test anything)%s", k, diag())
                    .isPositive();
            server = start();
        }

        // Drain: bounded wait until queue/ holds no message.
        long drainStart = System.nanoTime();
        long deadline = drainStart + TimeUnit.SECONDS.toNanos(60);
        while (!queuedIds().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("queue did not drain within 60 s; still queued: " + queuedIds().size() + "; " + killNotes + diag());
            }
            assertThat(server.process().isAlive()).as("petrel serve is still running%s", diag()).isTrue();
            Thread.sleep(100);
        }
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
        // The status log goes right after its message (after a directory fsync).
        long statusDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!statusFiles().isEmpty() && System.nanoTime() < statusDeadline) Thread.sleep(20);
        assertThat(statusFiles()).as("no status log is left once the queue is empty%s", diag()).isEmpty();
        // Nothing more may arrive once the queue is empty.
        long acceptedAtDrain = sink.accepted.get();
        Thread.sleep(1000);
        assertThat(sink.accepted.get()).as("no delivery after the queue drained%s", diag()).isEqualTo(acceptedAtDrain);
        processes.kill(server);

        // ---- verdict
        Map<String, Integer> counts = sink.counts();
        assertThat(sink.strays).as("the sink got only mail this test sent (no bounces, no unknown tokens)%s", diag()).isEmpty();
        assertThat(violations).as("status logs are well formed and consistent%s", diag()).isEmpty();

        Set<String> expected = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (Sent s : acknowledged.values()) {
            for (String r : s.recipients()) {
                String key = key(s.token(), r);
                expected.add(key);
                if (counts.getOrDefault(key, 0) < 1) missing.add(key);
            }
        }
        assertThat(missing).as("every recipient of every acknowledged message reached the sink%s", diag()).isEmpty();
        assertThat(counts.keySet()).as("the sink got nothing but the acknowledged messages' recipients").isSubsetOf(expected);

        List<String> repeated = new ArrayList<>();
        recorded.forEach((key, rec) -> {
            int now = counts.getOrDefault(key, 0);
            if (now != rec.sinkCount()) {
                repeated.add(key + " recorded delivered (" + rec.how() + ") at kill " + rec.kill() + " with sink count "
                        + rec.sinkCount() + ", finally " + now);
            }
        });
        assertThat(repeated).as("no delivery recorded before a kill was made again after it%s", diag()).isEmpty();

        int duplicates = 0;
        int duplicatedRecipients = 0;
        for (int c : counts.values()) {
            if (c > 1) {
                duplicates += c - 1;
                duplicatedRecipients++;
            }
        }
        long recordedByLine = recorded.values().stream().filter(r -> r.how().equals("status D")).count();
        assertThat(recordedByLine).as("some deliveries were recorded per recipient (partial progress) before a kill")
                .isPositive();
        assertThat(killsMidData).as("at least one kill landed while the sink was in DATA; %s", killNotes).isPositive();

        System.out.printf(Locale.ROOT, "delivery crash: %d messages (%d with several recipients), %d recipients, %d kills "
                        + "(%d with DATA in flight), %d server starts; recorded before a kill: %d (%d by status D lines, %d by removal); "
                        + "sink accepted %d DATA for %d recipient deliveries, RCPT deferred %d; duplicates of unrecorded "
                        + "deliveries: %d (%d recipients); status lines read %d (%d torn); drain %d ms; total %d ms%n  %s%n",
                acknowledged.size(), multi, recipients, KILLS, killsMidData, processes.starts(), recorded.size(), recordedByLine,
                recorded.size() - recordedByLine, sink.accepted.get(), counts.values().stream().mapToInt(Integer::intValue).sum(),
                sink.deferred.get(), duplicates, duplicatedRecipients, statusLinesRead, tornStatusLines, drainMillis,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), String.join("\n  ", killNotes));
    }

    /**
     * After a kill, before the restart: what the spool says was delivered, with the sink's counts
     * now. Checks that what was recorded before has not been delivered again. Returns the number of
     * messages still queued.
     */
    private int snapshot(int kill) throws IOException {
        Map<String, Integer> counts = sink.counts();
        // Earlier records must not have grown (checked here too, to name the kill after which it happened).
        recorded.forEach((key, rec) -> {
            int now = counts.getOrDefault(key, 0);
            if (now != rec.sinkCount()) {
                violations.add("kill " + kill + ": " + key + " recorded at kill " + rec.kill() + " with count "
                        + rec.sinkCount() + " now has " + now);
            }
        });
        // The same cleanup the restart does (tmp/ leftovers, orphan status logs); it changes no message.
        FileSpool spool = new FileSpool(dataDir.resolve("spool"), 0);
        Set<String> queued = new HashSet<>();
        for (QueueId id : spool.list()) queued.add(id.value());
        for (String id : queued) {
            if (!acknowledged.containsKey(id)) {
                violations.add("kill " + kill + ": " + id + " is queued but was never acknowledged to the test (a bounce?)");
            }
        }
        for (Map.Entry<String, Sent> e : acknowledged.entrySet()) {
            String id = e.getKey();
            Sent s = e.getValue();
            if (!queued.contains(id)) {
                for (String r : s.recipients()) markRecorded(kill, s.token(), r, "removal", counts);
                continue;
            }
            SpooledMessage m = spool.read(new QueueId(id));
            List<String> envelopeRcpts = m.envelope().recipients().stream()
                    .map(Recipient::address).map(a -> a.toString().toLowerCase(Locale.ROOT)).toList();
            if (!envelopeRcpts.equals(s.recipients())) {
                violations.add(id + ": envelope recipients " + envelopeRcpts + " differ from those sent " + s.recipients());
                continue;
            }
            Path statusFile = queueDir.resolve(id + ".status");
            if (Files.exists(statusFile)) {
                byte[] raw = Files.readAllBytes(statusFile);
                if (raw.length > 0 && raw[raw.length - 1] != '\n') tornStatusLines++;
            }
            Set<Integer> deliveredIndexes = new HashSet<>();
            for (String line : spool.readStatus(new QueueId(id))) {
                statusLinesRead++;
                StatusRecord r = StatusRecord.parse(line);
                if (r == null) {
                    violations.add(id + ": status line not parseable: " + line.replace("\t", "\\t"));
                    continue;
                }
                if (r instanceof StatusRecord.Outcome o) {
                    if (o.index() < 0 || o.index() >= s.recipients().size()) {
                        violations.add(id + ": status line for recipient #" + o.index() + " of " + s.recipients().size() + ": " + line);
                        continue;
                    }
                    if (line.startsWith("D\t" + o.index() + "\t")) {
                        if (!deliveredIndexes.add(o.index())) {
                            violations.add(id + ": recipient #" + o.index() + " recorded delivered twice");
                        }
                        markRecorded(kill, s.token(), s.recipients().get(o.index()), "status D", counts);
                    } else if (deliveredIndexes.contains(o.index())) {
                        violations.add(id + ": recipient #" + o.index() + " tried again after being recorded delivered: " + line);
                    }
                }
            }
        }
        return queued.size();
    }

    private void markRecorded(int kill, String token, String recipient, String how, Map<String, Integer> counts) {
        String key = key(token, recipient);
        if (recorded.containsKey(key)) return;
        int count = counts.getOrDefault(key, 0);
        if (count < 1) violations.add("kill " + kill + ": " + key + " recorded delivered (" + how + ") but the sink never got it");
        recorded.put(key, new Recorded(kill, count, how));
    }

    private static String key(String token, String recipient) {
        return token + " " + recipient;
    }

    // ---- load --------------------------------------------------------------------------------

    private void sendLoad(PetrelProcesses.Server server) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < SENDERS; t++) {
            threads.add(Thread.ofVirtual().name("sender-" + t).start(() -> {
                try (Smtp c = new Smtp(server.port())) {
                    c.command("EHLO client.example", 250);
                    for (int n; (n = next.getAndIncrement()) < MESSAGES; ) {
                        Sent s = newMessage(n);
                        acknowledged.put(c.send(s), s);
                    }
                    c.command("QUIT", 221);
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            if (!t.join(java.time.Duration.ofSeconds(60))) fail("sending the load took more than 60 s" + diag());
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("sending the load failed: " + errors + diag());
            errors.forEach(e::addSuppressed);
            throw e;
        }
        assertThat(acknowledged).as("every message acknowledged").hasSize(MESSAGES);
    }

    private Sent newMessage(int n) {
        Random r = ThreadLocalRandom.current();
        String token = "m" + n + "-" + HexFormat.of().toHexDigits(r.nextLong());
        List<String> rcpts = new ArrayList<>();
        for (int k = 0, count = 1 + r.nextInt(5); k < count; k++) rcpts.add("r" + n + "-" + k + "@" + SINK_DOMAIN);
        // The sender is at the sink too: a bounce would arrive there, without a token, and fail the test.
        String sender = "s" + n + "@" + SINK_DOMAIN;
        StringBuilder body = new StringBuilder();
        for (int i = 0, lines = 10 + r.nextInt(40); i < lines; i++) {
            body.append("line ").append(i).append(" of ").append(token).append(" ").append("x".repeat(r.nextInt(60))).append("\r\n");
        }
        String wire = "From: <" + sender + ">\r\nTo: " + String.join(", ", rcpts) + "\r\nSubject: delivery crash " + n
                + "\r\nX-Petrel-Token: " + token + "\r\n\r\n" + body + ".\r\n";
        return new Sent(token, sender, List.copyOf(rcpts), wire.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- the server process ------------------------------------------------------------------

    /** Starts {@code petrel serve} on a fresh port and waits until it accepts. */
    private PetrelProcesses.Server start() throws Exception {
        return processes.start(dir.resolve("petrel.toml"), p -> """
                        [server]
                        hostname = "mx.petrel.test"
                        data_dir = "%s"
    
                        [[listener]]
                        name = "mx"
                        address = "127.0.0.1:%d"
                        mode = "mx"
                        tls = "none"
    
                        [relay]
                        local_domains = ["petrel.test"]
                        trusted_networks = ["127.0.0.0/8"]
    
                        [queue]
                        retry_min = "1s"
                        retry_max = "2s"
                        max_connections_per_destination = 4
    
                        [delivery]
                        connect_timeout = "5s"
                        command_timeout = "15s"
                        data_timeout = "15s"
    
                        [[delivery.route]]
                        domain = "%s"
                        to = "%s:%d"
                        tls = "none"
                        """.formatted(dataDir.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""), p,
                    SINK_DOMAIN, SINK_HOST, sink.port()));
    }



    private String diag() {
        return processes.diag();
    }

    private Set<String> queuedIds() throws IOException {
        Set<String> out = new HashSet<>();
        for (String n : listNames(queueDir)) if (QueueId.isValid(n)) out.add(n);
        return out;
    }

    private Set<String> statusFiles() throws IOException {
        Set<String> out = new HashSet<>();
        for (String n : listNames(queueDir)) if (n.endsWith(".status")) out.add(n);
        return out;
    }

    private static Set<String> listNames(Path d) throws IOException {
        if (!Files.isDirectory(d)) return Set.of();
        try (Stream<Path> s = Files.list(d)) {
            Set<String> out = new HashSet<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            return out;
        }
    }

    // ---- the client --------------------------------------------------------------------------

    /** A raw SMTP client for the load; Petrel is never killed while it runs. */
    static final class Smtp implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Smtp(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(15_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            expect(reply(in), 220, "greeting");
        }

        String command(String line, int code) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return expect(reply(in), code, line);
        }

        /** One message; its queue id. */
        String send(Sent m) throws IOException {
            command("MAIL FROM:<" + m.sender() + ">", 250);
            for (String r : m.recipients()) command("RCPT TO:<" + r + ">", 250);
            command("DATA", 354);
            out.write(m.wire());
            out.flush();
            String reply = expect(reply(in), 250, "end of data");
            Matcher q = QUEUED.matcher(reply);
            if (!q.matches()) throw new IOException("unexpected reply to the end of data: " + reply);
            return q.group(1);
        }

        private static String expect(String reply, int code, String what) throws IOException {
            if (reply == null) throw new IOException("connection closed waiting for the reply to " + what);
            if (!reply.startsWith(code + " ")) throw new IOException("unexpected reply to " + what + ": " + reply);
            return reply;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The last line of the next reply, or null at end of stream. */
    static String reply(InputStream in) throws IOException {
        while (true) {
            String line = line(in);
            if (line == null) return null;
            if (line.length() < 4 || line.charAt(3) != '-') return line;
        }
    }

    /** One line without its CRLF (or LF), or null at end of stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- the sink ----------------------------------------------------------------------------

    /**
     * A recording SMTP server that outlives the Petrel processes: one virtual thread per
     * connection; PIPELINING offered; some RCPTs deferred with 451; after the final dot it waits
     * 50 to 200 ms, then counts the message for each accepted recipient (as a real receiver commits
     * before it answers) and only then replies 250.
     */
    static final class Sink implements AutoCloseable {
        final ServerSocket server;
        /** (token, recipient) to the number of DATA accepted for it. */
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final AtomicInteger inData = new AtomicInteger();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong deferred = new AtomicLong();
        final List<String> strays = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Sink(String host) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 512);
            Thread.ofVirtual().name("sink-accept").start(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        Map<String, Integer> counts() {
            Map<String, Integer> out = new TreeMap<>();
            counts.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        private void acceptLoop() {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread.ofVirtual().name("sink-conn").start(() -> serve(s));
                } catch (IOException e) {
                    if (!closed) strays.add("sink accept failed: " + e);
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(60_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                write(out, "220 sink.test ESMTP recording sink\r\n");
                List<String> rcpts = new ArrayList<>();
                boolean mail = false;
                for (String line; (line = line(in)) != null; ) {
                    String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                    switch (verb) {
                        case "EHLO" -> {
                            mail = false;
                            rcpts.clear();
                            write(out, "250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n");
                        }
                        case "HELO" -> write(out, "250 sink.test\r\n");
                        case "MAIL" -> {
                            mail = true;
                            rcpts.clear();
                            write(out, "250 2.1.0 ok\r\n");
                        }
                        case "RCPT" -> {
                            int lt = line.indexOf('<');
                            int gt = line.indexOf('>', lt + 1);
                            if (!mail || lt < 0 || gt < 0) {
                                write(out, "503 5.5.1 bad RCPT\r\n");
                            } else if (ThreadLocalRandom.current().nextDouble() < RCPT_DEFER) {
                                deferred.incrementAndGet();
                                write(out, "451 4.3.0 try again later\r\n");
                            } else {
                                rcpts.add(line.substring(lt + 1, gt).toLowerCase(Locale.ROOT));
                                write(out, "250 2.1.5 ok\r\n");
                            }
                        }
                        case "DATA" -> {
                            if (rcpts.isEmpty()) {
                                write(out, "554 5.5.1 no valid recipients\r\n");
                                continue;
                            }
                            write(out, "354 go ahead\r\n");
                            inData.incrementAndGet();
                            try {
                                ByteArrayOutputStream content = new ByteArrayOutputStream();
                                for (String l; ; ) {
                                    l = line(in);
                                    if (l == null) return; // the sender died mid-DATA: nothing accepted
                                    if (l.equals(".")) break;
                                    content.writeBytes((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                                }
                                Thread.sleep(50 + ThreadLocalRandom.current().nextInt(151));
                                String text = content.toString(StandardCharsets.ISO_8859_1);
                                Matcher t = TOKEN_HEADER.matcher(text);
                                if (!t.find()) {
                                    strays.add("message without token for " + rcpts + ": "
                                            + text.substring(0, Math.min(text.length(), 400)));
                                } else {
                                    for (String r : rcpts) counts.computeIfAbsent(key(t.group(1), r), k -> new AtomicInteger()).incrementAndGet();
                                }
                                accepted.incrementAndGet();
                            } finally {
                                inData.decrementAndGet();
                            }
                            mail = false;
                            rcpts.clear();
                            write(out, "250 2.0.0 accepted\r\n");
                        }
                        case "RSET" -> {
                            mail = false;
                            rcpts.clear();
                            write(out, "250 2.0.0 ok\r\n");
                        }
                        case "NOOP" -> write(out, "250 2.0.0 ok\r\n");
                        case "QUIT" -> {
                            write(out, "221 2.0.0 bye\r\n");
                            return;
                        }
                        default -> write(out, "502 5.5.2 not implemented\r\n");
                    }
                }
            } catch (IOException e) {
                // The sending Petrel was killed: its connections die with it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.remove(s);
            }
        }

        private static void write(OutputStream out, String reply) throws IOException {
            out.write(reply.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() {
            closed = true;
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
