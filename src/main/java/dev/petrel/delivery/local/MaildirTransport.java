package dev.petrel.delivery.local;

import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Transport;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import dev.petrel.policy.LocalRecipients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers {@link Route.Local} mail into {@code <maildirRoot>/<mailbox>/}, a Maildir
 * (<a href="https://cr.yp.to/proto/maildir.html">cr.yp.to/proto/maildir.html</a>), one file per
 * recipient, each starting with {@code Return-Path:} and {@code Delivered-To:}.
 *
 * <p>Order of work for one recipient, so that a crash at any instant leaves either nothing or
 * a complete message in {@code new/}: write {@code tmp/<unique>}, fsync it, rename it into
 * {@code new/} (atomic; the unique name means nothing is overwritten), fsync {@code new/}; only
 * then report DELIVERED. A failure after the write removes what was written and reports a
 * temporary failure, so the queue retries.
 *
 * <p>Line ends: the spool keeps CRLF; Maildir files hold LF, as every Unix MDA writes them
 * (Postfix local, Dovecot LDA, qmail-local) and mail readers expect. Only {@code BODY=BINARYMIME}
 * content is kept byte for byte (with CRLF headers), because turning CRLF into LF would corrupt it.
 *
 * <p>Thread-safe: many deliveries may write into one Maildir at once (that is what the unique
 * names are for).
 */
public final class MaildirTransport implements Transport {
    /** Like Postfix's hopcount_limit: more Received: headers than this is a loop. */
    public static final int MAX_RECEIVED = 50;

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_RW =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path root;
    private final String host;

    /**
     * @param maildirRoot the directory holding one Maildir per mailbox (created when missing)
     * @param hostname    this machine's name, used in the unique file names
     */
    public MaildirTransport(Path maildirRoot, String hostname) {
        this.root = maildirRoot;
        this.host = hostname.replace("/", "\\057").replace(":", "\\072");
    }

    @Override
    public List<DeliveryStatus> deliver(Delivery delivery, Route route) {
        if (!(route instanceof Route.Local local)) {
            throw new IllegalArgumentException("MaildirTransport delivers Route.Local only, not " + route);
        }
        HeaderFacts facts = HeaderFacts.of(delivery.content());
        List<DeliveryStatus> out = new ArrayList<>(delivery.recipients().size());
        for (Recipient r : delivery.recipients()) {
            out.add(deliverOne(delivery, local.mailbox(), r.address(), facts));
        }
        return out;
    }

    private DeliveryStatus deliverOne(Delivery d, String mailbox, MailAddress rcpt, HeaderFacts facts) {
        if (!LocalRecipients.isSafeMailboxName(mailbox)) {
            // A configuration error: defer, so that fixing the config saves the mail.
            return DeliveryStatus.temporary(rcpt, "4.3.5", "unusable mailbox name \"" + printable(mailbox) + "\"", "local");
        }
        if (facts.received() > MAX_RECEIVED) {
            return DeliveryStatus.permanent(rcpt, "5.4.6",
                    "mail forwarding loop for " + rcpt + " (more than " + MAX_RECEIVED + " Received: headers)", "local");
        }
        if (facts.deliveredTo().contains(rcpt.toString().toLowerCase(Locale.ROOT))) {
            return DeliveryStatus.permanent(rcpt, "5.4.6",
                    "mail forwarding loop for " + rcpt + " (it already has Delivered-To: " + rcpt + ")", "local");
        }
        Path box = root.resolve(mailbox);
        String name = uniqueName();
        Path tmp = box.resolve("tmp").resolve(name);
        Path target = box.resolve("new").resolve(name);
        boolean moved = false;
        try {
            ensureMaildir(box);
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_RW)) {
                writeFully(ch, render(d, rcpt));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            fsyncDirectory(box.resolve("new"));
            return new DeliveryStatus(rcpt, DeliveryStatus.Outcome.DELIVERED, "2.0.0", "delivered to maildir", "local", false);
        } catch (IOException e) {
            deleteQuietly(moved ? target : tmp);
            return DeliveryStatus.temporary(rcpt, dsnFor(e), "maildir delivery failed: " + describe(e, box), "local");
        }
    }

    /** {@code <seconds>.M<micros>P<pid>Q<counter>.<host>}: unique per machine, process and call. */
    private String uniqueName() {
        Instant now = Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + PID + "Q" + COUNTER.incrementAndGet() + "." + host;
    }

    /** Return-Path and Delivered-To, then the message. */
    private static byte[] render(Delivery d, MailAddress rcpt) {
        boolean binary = d.envelope().body() == Envelope.BodyType.BINARY_MIME;
        String eol = binary ? "\r\n" : "\n";
        String headers = "Return-Path: <" + d.envelope().senderText() + ">" + eol + "Delivered-To: " + rcpt + eol;
        byte[] head = headers.getBytes(StandardCharsets.UTF_8);
        byte[] body = binary ? d.content() : crlfToLf(d.content());
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] crlfToLf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n') continue;
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }

    private void ensureMaildir(Path box) throws IOException {
        if (Files.isDirectory(box.resolve("tmp")) && Files.isDirectory(box.resolve("new")) && Files.isDirectory(box.resolve("cur"))) {
            return;
        }
        if (!Files.isDirectory(root)) Files.createDirectories(root, OWNER_ONLY);
        mkdir(box);
        for (String sub : List.of("tmp", "new", "cur")) mkdir(box.resolve(sub));
    }

    /** Creates a directory durably (its parent is fsynced), tolerating a concurrent delivery doing the same. */
    private static void mkdir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectory(dir, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) return;
            throw e;
        }
        fsyncDirectory(dir.getParent());
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: a stray file in tmp/ is harmless (readers ignore tmp/; Maildir says clean it after 36 hours).
        }
    }

    /** Postfix's choices: a full disk is a system problem (4.3.0), anything else a mailbox problem (4.2.0). */
    private static String dsnFor(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no space left")) return "4.3.0";
        if (m.contains("quota")) return "4.2.2";
        return "4.2.0";
    }

    private static String describe(IOException e, Path box) {
        // FileSystemException names the file, and its reason is errno's text ("Permission denied");
        // without a reason, its type says what went wrong.
        if (e instanceof java.nio.file.FileSystemException fse) {
            return fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName());
        }
        return box + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String printable(String s) {
        return dev.petrel.message.ClientText.printable(s);
    }

    /** What the loop check needs from the message header: the Received: count and the Delivered-To: addresses. */
    record HeaderFacts(int received, Set<String> deliveredTo) {
        static HeaderFacts of(byte[] content) {
            int received = 0;
            Set<String> deliveredTo = new HashSet<>();
            String field = null;
            StringBuilder value = new StringBuilder();
            int start = 0;
            while (start < content.length) {
                int end = start;
                while (end < content.length && content[end] != '\n') end++;
                int lineEnd = end > start && content[end - 1] == '\r' ? end - 1 : end;
                String line = new String(content, start, lineEnd - start, StandardCharsets.UTF_8);
                start = end + 1;
                boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
                if (continuation) {
                    value.append(line);
                    continue;
                }
                if (field != null) {   // the previous field is complete
                    if (field.equals("received")) received++;
                    if (field.equals("delivered-to")) deliveredTo.add(address(value.toString()));
                    field = null;
                }
                if (line.isEmpty()) break;   // end of the header
                int colon = line.indexOf(':');
                if (colon <= 0) continue;     // not a header field (malformed): ignore it
                field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line, colon + 1, line.length());
            }
            if (field != null && field.equals("received")) received++;
            if (field != null && field.equals("delivered-to")) deliveredTo.add(address(value.toString()));
            return new HeaderFacts(received, Set.copyOf(deliveredTo));
        }

        private static String address(String v) {
            String s = v.strip();
            if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1).strip();
            return s.toLowerCase(Locale.ROOT);
        }
    }
}
