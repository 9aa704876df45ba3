package dev.petrel.server;

import dev.petrel.testkit.PetrelProcesses;
import dev.petrel.message.QueueId;
import dev.petrel.queue.FileSpool;
import dev.petrel.queue.SpooledMessage;
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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The kill -9 test of DESIGN.md habit 6 ("the spool is the truth"), end to end: a real
 * {@code petrel serve} process is sent mail over a raw socket and killed with SIGKILL the moment a
 * {@code 250 Ok: queued as <id>} arrives, then restarted on the same data directory, round after
 * round. Some rounds run five pipelining connections at once, so that the kill lands while other
 * messages are in DATA, being fsync'ed or being renamed. At the end every acknowledged message
 * must be in the spool, readable, with its envelope and the exact body it was sent with (each body
 * carries a unique token and its own SHA-256); every other message that made it into the queue
 * must be intact too; nothing in {@code tmp/} may ever also be in {@code queue/}; and a message
 * killed in the middle of DATA must never appear, its {@code tmp/} leftover being removed when the
 * server starts again.
 *
 * <p>What it proves: the 250 is sent only after the message is committed, commits are atomic
 * (a reader never sees a torn or half-written message), and restart recovery is clean.
 * What it cannot prove: that the data would survive a power cut or kernel crash. Killing a
 * process leaves the OS page cache intact, so bytes written but not yet fsync'ed still reach the
 * disk; the fsyncs of file and directory (FileSpool, GroupDirectorySync) are what the power-loss
 * guarantee rests on, and no test here pulls the plug.
 */
class CrashDurabilityTest {
    private static final String DOMAIN = "petrel.test";
    private static final int ROUNDS = 20;
    private static final long ROUNDS_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(80);
    private static final int CONNECTIONS = 5;
    private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-Za-z]{16})$");
    private static final Pattern TOKEN_HEADER = Pattern.compile("\r\nX-Petrel-Token: (\\S+)\r\n");
    private static final Pattern HASH_HEADER = Pattern.compile("\r\nX-Body-SHA256: ([0-9a-f]{64})\r\n");
    
    @TempDir
    Path dir;

    private Path dataDir;
    private Path queueDir;
    private Path tmpDir;
    private final PetrelProcesses processes = new PetrelProcesses();
    private final Random random = new Random();
    /** Every message ever attempted, by token. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    /** Every message the server acknowledged with 250: queue id to token. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    /** A message as the client sent it. */
    record Sent(String token, String sender, String recipient, byte[] wire) {}

    @AfterEach
    void killLeftovers() {
        processes.close();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyAcknowledgedMessageSurvivesSigkillOfTheServer() throws Exception {
        dataDir = dir.resolve("data");
        queueDir = dataDir.resolve("spool/queue");
        tmpDir = dataDir.resolve("spool/tmp");
        long begin = System.nanoTime();

        int rounds = 0;
        int concurrentRounds = 0;
        int tmpLeftovers = 0;
        while (rounds < ROUNDS && System.nanoTime() - begin < ROUNDS_BUDGET_NANOS) {
            PetrelProcesses.Server server = start();
            boolean concurrent = rounds % 2 == 1;
            if (concurrent) {
                // Kill right after the first 250 in half of these rounds; in the others after
                // 5 to 34, when all five connections are busy in DATA and commit.
                int killAfter = rounds % 4 == 1 ? 1 : 5 + random.nextInt(30);
                concurrentRound(server, rounds, killAfter);
                concurrentRounds++;
            } else {
                singleRound(server, rounds);
            }
            tmpLeftovers += checkAfterKill("round " + rounds);
            rounds++;
        }
        long roundsNanos = System.nanoTime() - begin;

        // A kill in the middle of DATA: the message was never acknowledged and must not appear.
        PetrelProcesses.Server server = start();
        Sent torn = newMessage("middata", 300_000);
        try (Smtp c = new Smtp(server.port())) {
            c.hello();
            c.command("MAIL FROM:<" + torn.sender() + ">", 250);
            c.command("RCPT TO:<" + torn.recipient() + ">", 250);
            c.command("DATA", 354);
            c.out.write(torn.wire(), 0, torn.wire().length / 2);
            c.out.flush();
            // More than the writer's 64 KiB buffer was sent, so the unfinished file has bytes on disk.
            awaitTrue(() -> {
                Set<String> names = listNames(tmpDir);
                return names.size() == 1 && Files.size(tmpDir.resolve(names.iterator().next())) > 65_536;
            }, "the half-sent message to appear in tmp/ with more than 64 KiB written");
            processes.kill(server);
        }
        Set<String> tmpAfterMidData = listNames(tmpDir);
        assertThat(tmpAfterMidData).as("the unfinished message is in tmp/ after the kill%s", diag()).hasSize(1);
        assertThat(queueIds()).as("the unfinished message is not in queue/%s", diag())
                .doesNotContainAnyElementsOf(tmpAfterMidData);
        checkAfterKill("mid-DATA round");

        // The restart removes the leftover, starts cleanly and still takes mail.
        int logBefore = processes.log().length();
        server = start();
        assertThat(listNames(tmpDir)).as("tmp/ is emptied at start%s", diag()).isEmpty();
        awaitTrue(() -> processes.log().indexOf("removed 1 unfinished message(s)", logBefore) >= 0,
                "the server to log the removal of the unfinished message");
        Sent after = newMessage("after", 2_000);
        try (Smtp c = new Smtp(server.port())) {
            c.hello();
            String id = c.send(after);
            assertThat(id).as("a message after the restart is accepted%s", diag()).isNotNull();
            acknowledged.put(id, after.token());
            c.command("QUIT", 221);
        }
        awaitTrue(() -> processes.log().indexOf("Petrel ready: ", logBefore) >= 0, "the ready line");
        processes.kill(server);
        checkAfterKill("final restart");

        // The spool as the next start would see it.
        FileSpool spool = new FileSpool(dataDir.resolve("spool"), 0);
        List<QueueId> listed = spool.list();
        Set<String> listedNames = new HashSet<>();
        for (QueueId id : listed) listedNames.add(id.value());
        assertThat(listedNames).as("every acknowledged message is listed%s", diag()).containsAll(acknowledged.keySet());
        Map<String, String> tokenOfId = new HashMap<>();
        for (QueueId id : listed) {
            SpooledMessage m;
            try {
                m = spool.read(id);
            } catch (IOException e) {
                throw new AssertionError("cannot read queued message " + id + ": " + e + diag(), e);
            }
            tokenOfId.put(id.value(), verifyIntact(m));
        }
        for (Map.Entry<String, String> a : acknowledged.entrySet()) {
            assertThat(tokenOfId.get(a.getKey())).as("acknowledged %s holds the message sent as %s%s", a.getKey(), a.getValue(), diag())
                    .isEqualTo(a.getValue());
        }
        assertThat(new HashSet<>(tokenOfId.values())).as("no message is queued twice").hasSize(tokenOfId.size());
        assertThat(tokenOfId.values()).as("the message killed mid-DATA never appears").doesNotContain(torn.token());
        assertThat(rounds).as("rounds run within the time budget").isGreaterThanOrEqualTo(4);
        assertThat(concurrentRounds).isPositive();

        System.out.printf("crash durability: %d rounds (%d concurrent) in %d ms, %d server processes.starts(), %d messages sent, "
                        + "%d acknowledged, %d queued in all (%d committed but not acknowledged), %d tmp/ leftovers after kills, "
                        + "total %d ms%n",
                rounds, concurrentRounds, TimeUnit.NANOSECONDS.toMillis(roundsNanos), processes.starts(), sent.size(),
                acknowledged.size(), listed.size(), listed.size() - acknowledged.size(), tmpLeftovers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /** One connection, one message; SIGKILL the moment its 250 arrives. */
    private void singleRound(PetrelProcesses.Server server, int round) throws Exception {
        Sent m = newMessage("r" + round, 500 + random.nextInt(120_000));
        try (Smtp c = new Smtp(server.port())) {
            c.hello();
            String id = c.send(m);
            if (id != null) acknowledged.put(id, m.token());
            processes.kill(server);
            assertThat(id).as("round %d: message acknowledged (reply %s)%s", round, c.lastReply, diag()).isNotNull();
        }
    }

    /**
     * Five connections each send messages back to back, MAIL/RCPT/DATA pipelined; SIGKILL as soon as
     * {@code killAfter} 250s arrived. Every 250 any connection read, even one still in the socket
     * buffer when the kill came, was sent after a commit and counts as acknowledged.
     */
    private void concurrentRound(PetrelProcesses.Server server, int round, int killAfter) throws Exception {
        CountDownLatch enough = new CountDownLatch(killAfter);
        AtomicBoolean killed = new AtomicBoolean();
        List<Throwable> unexpected = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int conn = 0; conn < CONNECTIONS; conn++) {
            int connection = conn;
            clients.add(Thread.ofVirtual().name("client-" + round + "-" + conn).start(() -> {
                Random r = new Random(round * 100L + connection);
                try (Smtp c = new Smtp(server.port())) {
                    c.hello();
                    for (int seq = 0; seq < 200 && !killed.get(); seq++) {
                        Sent m = newMessage("r" + round + "c" + connection + "s" + seq, 300 + r.nextInt(80_000));
                        String id = c.sendPipelined(m);
                        if (id == null) return; // killed mid-transaction
                        acknowledged.put(id, m.token());
                        enough.countDown();
                    }
                } catch (IOException | ProtocolError e) {
                    // After the kill a dead connection is expected; a refused command never is.
                    if (!killed.get() || e instanceof ProtocolError) {
                        synchronized (unexpected) {
                            unexpected.add(e);
                        }
                    }
                }
            }));
        }
        boolean reached = enough.await(30, TimeUnit.SECONDS);
        killed.set(true);
        processes.kill(server);
        for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(reached).as("round %d: %d messages acknowledged within 30 s; client errors %s%s",
                round, killAfter, unexpected, diag()).isTrue();
        assertThat(unexpected).as("round %d: client errors before the kill%s", round, diag()).isEmpty();
    }

    /**
     * After a kill, before the restart cleans up: every acknowledged message is in queue/, and no
     * name is in both tmp/ and queue/. Returns the number of unfinished files left in tmp/.
     */
    private int checkAfterKill(String when) throws IOException {
        Set<String> tmp = listNames(tmpDir);
        Set<String> queue = queueIds();
        assertThat(queue).as("%s: acknowledged messages in queue/%s", when, diag()).containsAll(acknowledged.keySet());
        assertThat(tmp).as("%s: tmp/ and queue/ share no message%s", when, diag()).doesNotContainAnyElementsOf(queue);
        assertThat(tmp).as("%s: no acknowledged message is still in tmp/%s", when, diag())
                .doesNotContainAnyElementsOf(acknowledged.keySet());
        return tmp.size();
    }

    /** Checks a queued message against what was sent; returns its token. */
    private String verifyIntact(SpooledMessage m) {
        String id = m.id().value();
        String content = new String(m.content(), StandardCharsets.ISO_8859_1);
        assertThat(content).as("%s starts with our Received header", id).startsWith("Received: ");
        int headerEnd = content.indexOf("\r\n\r\n");
        assertThat(headerEnd).as("%s has a header/body separator%s", id, diag()).isPositive();
        String headers = content.substring(0, headerEnd + 2);
        Matcher token = TOKEN_HEADER.matcher(headers);
        Matcher hash = HASH_HEADER.matcher(headers);
        assertThat(token.find() && hash.find()).as("%s has token and hash headers: %s%s", id, headers, diag()).isTrue();
        Sent s = sent.get(token.group(1));
        assertThat(s).as("%s holds a message this test sent (token %s)", id, token.group(1)).isNotNull();
        byte[] body = new byte[m.content().length - headerEnd - 4];
        System.arraycopy(m.content(), headerEnd + 4, body, 0, body.length);
        assertThat(sha256(body)).as("%s (token %s): body of %d octets matches its SHA-256 (torn or altered otherwise)%s",
                id, s.token(), body.length, diag()).isEqualTo(hash.group(1));
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).as("%s: body carries its token", id)
                .startsWith("token: " + s.token() + "\r\n");
        assertThat(m.envelope().sender()).as("%s envelope sender", id).hasToString(s.sender());
        assertThat(m.envelope().recipients()).as("%s envelope recipients", id).hasSize(1);
        assertThat(m.envelope().recipients().getFirst().address()).as("%s envelope recipient", id).hasToString(s.recipient());
        return s.token();
    }

    /**
     * A message whose body starts with a unique token and whose X-Body-SHA256 header is the hash
     * of the body as it should be stored (after un-stuffing). Some lines start with a dot, so the
     * dot-stuffing path is crossed too. {@code wire} is dot-stuffed and ends with CRLF.CRLF.
     */
    private Sent newMessage(String label, int bodySize) {
        String token = label + "-" + HexFormat.of().toHexDigits(random.nextLong());
        String sender = "s-" + token + "@client.example";
        // postmaster+tag: the one local user a default [local] section has (unknown users get 550 5.1.1)
        String recipient = "postmaster+r-" + token + "@" + DOMAIN;
        StringBuilder body = new StringBuilder(bodySize + 200).append("token: ").append(token).append("\r\n");
        StringBuilder stuffed = new StringBuilder(bodySize + 300).append("token: ").append(token).append("\r\n");
        Random r = new Random(random.nextLong());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-";
        while (body.length() < bodySize) {
            StringBuilder line = new StringBuilder();
            if (r.nextInt(10) == 0) line.append('.');
            for (int i = r.nextInt(120); i > 0; i--) line.append(alphabet.charAt(r.nextInt(alphabet.length())));
            body.append(line).append("\r\n");
            stuffed.append(line.length() > 0 && line.charAt(0) == '.' ? "." : "").append(line).append("\r\n");
        }
        String hash = sha256(body.toString().getBytes(StandardCharsets.US_ASCII));
        String headers = "From: <" + sender + ">\r\nTo: <" + recipient + ">\r\nSubject: crash test " + token + "\r\n"
                + "X-Petrel-Token: " + token + "\r\nX-Body-SHA256: " + hash + "\r\n\r\n";
        byte[] wire = (headers + stuffed + ".\r\n").getBytes(StandardCharsets.US_ASCII);
        Sent s = new Sent(token, sender, recipient, wire);
        sent.put(token, s);
        return s;
    }

    // ---- the server process ------------------------------------------------------------------

    /** Starts {@code petrel serve} on a fresh port and waits until it accepts. */
    private PetrelProcesses.Server start() throws Exception {
        return processes.start(dir.resolve("petrel.toml"), p -> """
                        [server]
                        hostname = "mx.petrel.test"
                        data_dir = "%s"
    
                        [[listener]]
                        name = "smtp"
                        address = "127.0.0.1:%d"
                        mode = "mx"
                        tls = "none"
    
                        [relay]
                        local_domains = ["%s"]
                        trusted_networks = []
    
                        # Not about SPF/DKIM/DMARC, and no DNS server here: never ask the system's resolver.
                        [mail_auth]
                        verify = false
    
                        # This test is about accepting: what it acknowledged must stay in the spool.
                        [delivery]
                        enabled = false
                        """.formatted(dataDir.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""), p, DOMAIN));
    }



    private String diag() {
        return processes.diag();
    }

    // ---- helpers ----------------------------------------------------------------------------

    interface Check {
        boolean ok() throws IOException;
    }

    private void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what + diag());
            Thread.sleep(10);
        }
    }

    private static Set<String> listNames(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            Set<String> out = new HashSet<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            return out;
        }
    }

    /** The names {@link FileSpool#list()} would show. */
    private Set<String> queueIds() throws IOException {
        Set<String> out = new HashSet<>(listNames(queueDir));
        out.removeIf(n -> !QueueId.isValid(n));
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The server answered, but not as expected: a test failure, never a consequence of the kill. */
    static final class ProtocolError extends RuntimeException {
        ProtocolError(String message) {
            super(message);
        }
    }

    /** A raw SMTP client: just enough to send, pipeline and notice a dead server. */
    static final class Smtp implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        volatile String lastReply;

        Smtp(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(15_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            expect(reply(), 220, "greeting");
        }

        void hello() throws IOException {
            command("EHLO client.example", 250);
        }

        String command(String line, int code) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return expect(reply(), code, line);
        }

        /** MAIL, RCPT, DATA one by one, then the content; the queue id, or null if the connection died. */
        String send(Sent m) throws IOException {
            command("MAIL FROM:<" + m.sender() + ">", 250);
            command("RCPT TO:<" + m.recipient() + ">", 250);
            command("DATA", 354);
            out.write(m.wire());
            out.flush();
            return queueId(reply());
        }

        /** MAIL, RCPT and DATA in one write (RFC 2920); the queue id, or null if the connection died. */
        String sendPipelined(Sent m) throws IOException {
            try {
                out.write(("MAIL FROM:<" + m.sender() + ">\r\nRCPT TO:<" + m.recipient() + ">\r\nDATA\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(reply(), 250, "MAIL");
                expect(reply(), 250, "RCPT");
                expect(reply(), 354, "DATA");
                out.write(m.wire());
                out.flush();
                return queueId(reply());
            } catch (IOException e) {
                return null; // the server was killed: whatever was in flight is unacknowledged
            }
        }

        /** The id in a 250 reply to the end of data; null if the connection died first. */
        private static String queueId(String reply) {
            if (reply == null) return null;
            Matcher q = QUEUED.matcher(reply);
            if (!q.matches()) throw new ProtocolError("unexpected reply to the end of data: " + reply);
            return q.group(1);
        }

        private static String expect(String reply, int code, String what) throws IOException {
            if (reply == null) throw new IOException("connection closed waiting for the reply to " + what);
            if (!reply.startsWith(code + " ")) throw new ProtocolError("unexpected reply to " + what + ": " + reply);
            return reply;
        }

        /** The last line of the next reply, or null at end of stream. */
        String reply() throws IOException {
            while (true) {
                String line = line();
                if (line == null) return null;
                if (line.length() < 4 || line.charAt(3) != '-') {
                    lastReply = line;
                    return line;
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
