package dev.petrel.protocol;

import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.protocol.sasl.SaslMechanism;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays a transcript file against a {@link ServerSession} without sockets.
 *
 * <pre>
 * # comment
 * &#64; key=value ...      session settings (before the first C: line): mode=submission|mx,
 *                      starttls=true|false, tls=implicit, maxSize=N, maxRcpt=N,
 *                      bare=reject|normalize, long=reject|accept, maxErrors=N,
 *                      maxHeader=N, maxMimeDepth=N, maxCommands=N, pipelining=forbid|allow
 * C: text              client line; CRLF is appended. Consecutive C:/R: lines form one
 * R: raw               segment sent in one read (pipelining). R: has no CRLF appended and
 *                      understands \r \n \0 \\ and \xHH escapes.
 * S: text              the next reply line must be exactly this
 * S~ regex             the next reply line must match this
 * A: CLOSE             the action after the last segment (CONTINUE, START_TLS, CLOSE)
 * T: tls               the TLS handshake completes (after A: START_TLS)
 * N: count             this many messages have been committed so far
 * M: raw               the last committed message, without its Received header, is exactly this
 * </pre>
 * At the end, every reply line must have been matched.
 */
final class TranscriptRunner {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    private final TestHandler handler = new TestHandler();
    private final Deque<String> replies = new ArrayDeque<>();
    private ServerSession session;
    private SessionOutput.Action lastAction = SessionOutput.Action.CONTINUE;

    static TestHandler run(String name, List<SaslMechanism> mechanisms) throws IOException {
        TranscriptRunner r = new TranscriptRunner();
        List<String> lines;
        try (var in = TranscriptRunner.class.getResourceAsStream("/transcripts/" + name)) {
            assertThat(in).as("transcript " + name).isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        r.play(name, lines, mechanisms);
        return r.handler;
    }

    private void play(String name, List<String> lines, List<SaslMechanism> mechanisms) {
        String mode = "mx";
        boolean startTls = true;
        boolean implicitTls = false;
        long maxSize = 10_000;
        int maxRcpt = 3;
        boolean rejectBare = false;
        boolean rejectLong = true;
        int maxErrors = 20;
        SessionLimits limits = SessionLimits.NONE;
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String where = name + ":" + lineNo + ": ";
            if (line.isBlank() || line.startsWith("#")) continue;
            String tag = line.substring(0, 2);
            String body = tag.equals("@ ") ? line.substring(2) : line.length() > 3 ? line.substring(3) : "";
            if (tag.equals("@ ")) {
                for (String kv : body.trim().split(" +")) {
                    String[] p = kv.split("=", 2);
                    switch (p[0]) {
                        case "mode" -> mode = p[1];
                        case "starttls" -> startTls = Boolean.parseBoolean(p[1]);
                        case "tls" -> implicitTls = p[1].equals("implicit");
                        case "maxSize" -> maxSize = Long.parseLong(p[1]);
                        case "maxRcpt" -> maxRcpt = Integer.parseInt(p[1]);
                        case "bare" -> rejectBare = p[1].equals("reject");
                        case "long" -> rejectLong = p[1].equals("reject");
                        case "maxErrors" -> maxErrors = Integer.parseInt(p[1]);
                        case "maxHeader" -> limits = new SessionLimits(Integer.parseInt(p[1]), limits.maxMimeDepth(),
                                limits.maxCommands(), limits.forbidUnauthPipelining());
                        case "maxMimeDepth" -> limits = new SessionLimits(limits.maxHeaderSize(), Integer.parseInt(p[1]),
                                limits.maxCommands(), limits.forbidUnauthPipelining());
                        case "maxCommands" -> limits = new SessionLimits(limits.maxHeaderSize(), limits.maxMimeDepth(),
                                Integer.parseInt(p[1]), limits.forbidUnauthPipelining());
                        case "pipelining" -> limits = new SessionLimits(limits.maxHeaderSize(), limits.maxMimeDepth(),
                                limits.maxCommands(), p[1].equals("forbid"));
                        default -> throw new IllegalArgumentException(where + "unknown setting " + p[0]);
                    }
                }
                continue;
            }
            if (session == null) {
                SessionSettings settings = new SessionSettings("mx.test", "test", mode.equals("submission"),
                        startTls && !implicitTls, mechanisms, maxSize, maxRcpt, rejectBare, rejectLong, maxErrors, limits);
                session = new ServerSession(settings, handler, CLOCK, "S1", InetAddress.getLoopbackAddress(),
                        implicitTls ? new Envelope.TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256") : null);
                collect(session.greet());
            }
            switch (tag) {
                case "C:" -> segment.writeBytes((body + "\r\n").getBytes(StandardCharsets.UTF_8));
                case "R:" -> segment.writeBytes(unescape(body));
                default -> {
                    flush(segment);
                    switch (tag) {
                        case "S:" -> assertThat(replies.pollFirst()).as(where + "reply").isEqualTo(body);
                        case "S~" -> assertThat(replies.pollFirst()).as(where + "reply").matches(Pattern.compile(body));
                        case "A:" -> assertThat(lastAction.name()).as(where + "action").isEqualTo(body.trim());
                        case "T:" -> session.tlsStarted(new Envelope.TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256"));
                        case "N:" -> assertThat(handler.committed).as(where + "committed messages").hasSize(Integer.parseInt(body.trim()));
                        case "M:" -> {
                            assertThat(handler.committed).as(where + "a committed message").isNotEmpty();
                            assertThat(withoutReceived(handler.committed.getLast().content()))
                                    .as(where + "content").isEqualTo(new String(unescape(body), StandardCharsets.ISO_8859_1));
                        }
                        default -> throw new IllegalArgumentException(where + "unknown line tag '" + tag + "'");
                    }
                }
            }
        }
        flush(segment);
        assertThat(replies).as(name + ": unmatched replies at the end").isEmpty();
    }

    private void flush(ByteArrayOutputStream segment) {
        if (segment.size() == 0) return;
        byte[] bytes = segment.toByteArray();
        segment.reset();
        collect(session.receive(bytes, 0, bytes.length));
    }

    private void collect(SessionOutput output) {
        lastAction = output.action();
        String wire = new String(output.toWire(), StandardCharsets.UTF_8);
        for (String l : wire.split("\r\n")) if (!l.isEmpty() || wire.contains("334 \r\n")) replies.add(l);
    }

    static String withoutReceived(byte[] content) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("Received: ");
        int end = s.indexOf("\r\n");
        while (end >= 0 && end + 2 < s.length() && s.charAt(end + 2) == '\t') end = s.indexOf("\r\n", end + 2);
        return s.substring(end + 2);
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + n);
            }
        }
        return out.toByteArray();
    }

    /** Policy and storage twin: a few magic addresses trigger refusals. */
    static final class TestHandler implements SessionHandler {
        final List<Stored> committed = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();
        private int nextId = 1;

        record Stored(String id, Envelope envelope, byte[] content) {}

        @Override
        public Optional<Reply> checkSender(SessionView s, MailAddress sender) {
            if (sender != null && sender.domainKey().equals("blocked.test")) {
                return Optional.of(Reply.of(553, "5.7.1", "Sender address rejected"));
            }
            return Optional.empty();
        }

        @Override
        public Optional<Reply> checkRecipient(SessionView s, MailAddress sender, MailAddress rcpt) {
            if (rcpt.domainKey().equals("elsewhere.test")) {
                return Optional.of(Reply.of(554, "5.7.1", "Relay access denied"));
            }
            return Optional.empty();
        }

        @Override
        public Optional<Reply> beforeAuth(SessionView s) {
            return Optional.empty();
        }

        @Override
        public Optional<Reply> afterAuth(SessionView s, boolean success, String username) {
            return Optional.empty();
        }

        @Override
        public MessageSink open(SessionView session, Envelope envelope, long declaredSize) throws IOException {
            if (envelope.recipients().stream().anyMatch(r -> r.address().localPart().equals("full"))) {
                throw new StorageFullException("test: full", null);
            }
            String id = String.format("%016d", nextId++);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            return new MessageSink() {
                @Override public String id() { return id; }
                @Override public void write(byte[] b, int off, int len) { buffer.write(b, off, len); }
                @Override public void commit() { committed.add(new Stored(id, envelope, buffer.toByteArray())); }
                @Override public void abort() { }
            };
        }

        @Override
        public void rejected(SessionView s, String command, Reply reply) {
            rejections.add(command + ": " + reply);
        }
    }
}
