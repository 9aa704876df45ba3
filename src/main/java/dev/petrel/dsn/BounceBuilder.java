package dev.petrel.dsn;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.petrel.dsn.Lines.CRLF;

/**
 * Builds a delivery status notification (RFC 3464) as a {@code multipart/report} (RFC 6522):
 * a text for people, the machine-readable {@code message/delivery-status}, and the original
 * message or its headers.
 *
 * <p>Choices the RFCs leave to us:
 * <ul>
 *   <li>RET not given returns the full message, like RET=FULL, but only up to {@code returnLimit}
 *       octets; beyond that, and always for RET=HDRS, only the headers come back.</li>
 *   <li>The original is returned byte for byte, never re-encoded: if it is 8-bit the notice is
 *       sent as 8BITMIME. If it has something even 8bit cannot carry (a line over 998 octets, a
 *       bare CR or LF, a NUL), only its headers come back; if the headers themselves have that, or
 *       exceed the limit, the third part is left out (RFC 6522 makes it optional).</li>
 *   <li>Any non-ASCII address or text in the report makes it {@code message/global-delivery-status}
 *       with {@code utf-8} address types (RFC 6533); an original sent with SMTPUTF8 whose headers
 *       are not ASCII comes back as {@code message/global} or {@code message/global-headers}.</li>
 *   <li>Dates are written in UTC.</li>
 * </ul>
 *
 * <p>Thread-safe: holds only configuration.
 */
public final class BounceBuilder {
    /** How much of the original comes back in full before only its headers do. */
    public static final int DEFAULT_RETURN_LIMIT = 100 * 1024;

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] BLANK_LINE = {'\r', '\n', '\r', '\n'};

    private final String reportingMta;
    private final MailAddress from;
    private final int returnLimit;

    /**
     * @param reportingMta our host name, for {@code Reporting-MTA} and the text
     * @param from         the notice's author, e.g. {@code MAILER-DAEMON@host}
     * @param returnLimit  the largest original returned in full, in octets
     */
    public BounceBuilder(String reportingMta, MailAddress from, int returnLimit) {
        this.reportingMta = Objects.requireNonNull(reportingMta, "reportingMta");
        this.from = Objects.requireNonNull(from, "from");
        if (returnLimit < 0) throw new IllegalArgumentException("returnLimit must not be negative");
        this.returnLimit = returnLimit;
    }

    /** A builder for {@code host} writing as {@code MAILER-DAEMON@host}, returning up to 100 KiB. */
    public static BounceBuilder forHost(String host) {
        return new BounceBuilder(host, new MailAddress("MAILER-DAEMON", host), DEFAULT_RETURN_LIMIT);
    }

    /**
     * The notice the sender asked for, if any: {@link NotifyPolicy#select} first, then
     * {@link #build}. Empty for the null sender or when no recipient wants to hear about this.
     */
    public Optional<Bounce> notice(QueueId id, Envelope original, byte[] content, List<DsnEntry> entries,
                                   Instant now, Instant retryUntil) {
        List<DsnEntry> wanted = NotifyPolicy.select(original, entries);
        if (wanted.isEmpty()) return Optional.empty();
        return Optional.of(build(id, original, content, wanted, now, retryUntil));
    }

    /**
     * Builds the notice for exactly {@code entries}, without asking {@link NotifyPolicy}.
     *
     * @param id         the original message's queue id
     * @param original   the original envelope; its sender must not be null
     * @param content    the original message as spooled (headers and body, CRLF)
     * @param entries    at least one recipient to report on
     * @param now        the time of the notice ({@code Date:}, default {@code Last-Attempt-Date})
     * @param retryUntil when we give up, for {@code Will-Retry-Until} on delayed recipients; may be null
     */
    public Bounce build(QueueId id, Envelope original, byte[] content, List<DsnEntry> entries,
                        Instant now, Instant retryUntil) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(now, "now");
        if (original.hasNullSender()) {
            throw new IllegalArgumentException("no notice for a message from <>: a bounce must not bounce");
        }
        if (entries.isEmpty()) throw new IllegalArgumentException("a notice needs at least one recipient");

        Set<Action> actions = EnumSet.noneOf(Action.class);
        entries.forEach(e -> actions.add(e.action()));
        boolean global = needsGlobal(original, entries);

        Returned returned = returned(original, content);
        byte[] text = utf8(humanText(entries, actions, retryUntil, returned));
        byte[] status = utf8(statusFields(id, original, entries, now, retryUntil));
        List<byte[]> parts = returned == null ? List.of(text, status) : List.of(text, status, returned.body);
        String boundary = boundary(id, parts);

        StringBuilder head = new StringBuilder();
        head.append(Lines.header("From", "Mail Delivery System <" + from + ">"));
        head.append(Lines.header("To", "<" + original.sender() + ">"));
        head.append(Lines.header("Subject", subject(actions)));
        head.append(Lines.header("Date", DATE.format(now)));
        head.append(Lines.header("Message-ID", "<" + id + "." + hex(6) + "@" + reportingMta + ">"));
        head.append(Lines.header("Auto-Submitted", "auto-replied"));
        head.append(Lines.header("MIME-Version", "1.0"));
        head.append(Lines.header("Content-Type",
                "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\""));

        ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 4096);
        writeAscii(body, "This is a MIME-formatted delivery status notification." + CRLF);
        writePart(body, boundary, textPartHeaders(text), text);
        writePart(body, boundary, partHeaders(global ? "message/global-delivery-status" : "message/delivery-status", status), status);
        if (returned != null) writePart(body, boundary, partHeaders(returned.type, returned.body), returned.body);
        writeAscii(body, CRLF + "--" + boundary + "--" + CRLF);

        boolean eightBit = !isSevenBit(body.toByteArray());
        head.append(Lines.header("Content-Transfer-Encoding", eightBit ? "8bit" : "7bit"));

        ByteArrayOutputStream message = new ByteArrayOutputStream(body.size() + head.length() + 2);
        message.writeBytes(utf8(head + CRLF));
        message.writeBytes(body.toByteArray());
        byte[] bytes = message.toByteArray();

        Envelope envelope = new Envelope(
                null,
                // NEVER: should this notice fail on the way, no server should answer it with another.
                List.of(new Recipient(original.sender(), Set.of(Recipient.Notify.NEVER), null)),
                eightBit ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT,
                original.sender().needsSmtpUtf8(),
                null, null, null,
                InetAddress.getLoopbackAddress(), reportingMta, "dsn", null, now);
        return new Bounce(envelope, bytes);
    }

    // ---- part 1: for people ----

    private String humanText(List<DsnEntry> entries, Set<Action> actions, Instant retryUntil, Returned returned) {
        List<String> out = new ArrayList<>();
        paragraph(out, "This is the mail system at host " + reportingMta + ".");
        if (actions.contains(Action.FAILED)) {
            paragraph(out, "Your message could not be delivered to the recipients below. The mail system "
                    + "has given up on them and will not try again.");
            recipients(out, entries, Action.FAILED);
        }
        if (actions.contains(Action.DELAYED)) {
            paragraph(out, "Your message has not reached the recipients below yet. You need not do anything: "
                    + "the mail system keeps trying"
                    + (retryUntil == null ? "" : " until " + DATE.format(retryUntil))
                    + " and will write again if it gives up.");
            recipients(out, entries, Action.DELAYED);
        }
        if (actions.contains(Action.DELIVERED) || actions.contains(Action.RELAYED)) {
            paragraph(out, "Your message was delivered to the recipients below, as you asked. For recipients "
                    + "marked \"relayed\" it went to a server that sends no further reports.");
            recipients(out, entries, Action.DELIVERED);
            recipients(out, entries, Action.RELAYED);
        }
        if (returned != null) {
            paragraph(out, returned.full
                    ? "Your message is attached after the machine-readable report."
                    : "The headers of your message are attached after the machine-readable report.");
        }
        paragraph(out, "If you need help, write to the postmaster of " + reportingMta
                + " and include this report.");
        return String.join(CRLF, out) + CRLF;
    }

    private static void paragraph(List<String> out, String text) {
        if (!out.isEmpty()) out.add("");
        out.addAll(Lines.wrap(text, 72, ""));
    }

    private static void recipients(List<String> out, List<DsnEntry> entries, Action action) {
        for (DsnEntry e : entries) {
            if (e.action() != action) continue;
            DeliveryStatus s = e.status();
            String why = s.remoteReply() ? "host " + hostAndIp(s.relay()) + " said: " + s.reply() : s.reply();
            // RFC 3463 4.4.7: we gave up; say so before the last error the remote host gave.
            if (action == Action.FAILED && s.dsn().equals("4.4.7") && s.remoteReply()) {
                why = "delivery time expired; the last attempt failed: " + why;
            }
            String label = action == Action.RELAYED ? " (relayed)" : "";
            out.add("");
            out.addAll(Lines.wrap("<" + e.recipient().address() + ">" + label + ": " + why, 72, "    "));
        }
    }

    // ---- part 2: for programs (RFC 3464 section 2) ----

    private String statusFields(QueueId id, Envelope original, List<DsnEntry> entries, Instant now, Instant retryUntil) {
        StringBuilder b = new StringBuilder();
        b.append(Lines.header("Reporting-MTA", "dns; " + reportingMta));
        b.append(Lines.header("X-Petrel-Queue-ID", id.value()));
        if (original.envId() != null) b.append(Lines.header("Original-Envelope-Id", original.envId()));
        b.append(Lines.header("Arrival-Date", DATE.format(original.receivedAt())));
        for (DsnEntry e : entries) {
            DeliveryStatus s = e.status();
            b.append(CRLF);
            if (e.recipient().orcpt() != null) b.append(Lines.header("Original-Recipient", e.recipient().orcpt()));
            b.append(Lines.header("Final-Recipient", addressField(e.recipient().address())));
            b.append(Lines.header("Action", e.action().fieldValue()));
            b.append(Lines.header("Status", statusCode(s.dsn(), e.action())));
            String host = remoteHost(s.relay());
            if (host != null) b.append(Lines.header("Remote-MTA", "dns; " + host));
            if (s.remoteReply()) b.append(Lines.header("Diagnostic-Code", "smtp; " + s.reply()));
            b.append(Lines.header("Last-Attempt-Date", DATE.format(e.lastAttempt() == null ? now : e.lastAttempt())));
            if (e.action() == Action.DELAYED && retryUntil != null) {
                b.append(Lines.header("Will-Retry-Until", DATE.format(retryUntil)));
            }
        }
        return b.toString();
    }

    /** {@code rfc822; a@b}, or {@code utf-8; ü@b} when the address is internationalized (RFC 6533 section 3). */
    private static String addressField(MailAddress address) {
        return (address.needsSmtpUtf8() ? "utf-8; " : "rfc822; ") + address;
    }

    /** The RFC 3463 code as given; a malformed one is replaced by the generic code of the action's class. */
    private static String statusCode(String dsn, Action action) {
        if (STATUS.matcher(dsn).matches()) return dsn;
        return switch (action) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            case DELIVERED, RELAYED -> "2.0.0";
        };
    }

    /** The host name of a relay written {@code host[ip]:port}; null for {@code none}, {@code local} or no name. */
    static String remoteHost(String relay) {
        int bracket = relay.indexOf('[');
        if (bracket <= 0) return null;
        String host = relay.substring(0, bracket);
        return host.equalsIgnoreCase("unknown") ? null : host;
    }

    /** {@code host[ip]} without the port, for the text. */
    private static String hostAndIp(String relay) {
        int close = relay.lastIndexOf(']');
        return close > 0 ? relay.substring(0, close + 1) : relay;
    }

    private static boolean needsGlobal(Envelope original, List<DsnEntry> entries) {
        if (original.envId() != null && !Lines.isAscii(original.envId())) return true;
        for (DsnEntry e : entries) {
            if (e.recipient().address().needsSmtpUtf8()) return true;
            if (e.recipient().orcpt() != null && !Lines.isAscii(e.recipient().orcpt())) return true;
            if (!Lines.isAscii(e.status().reply()) || !Lines.isAscii(e.status().relay())) return true;
        }
        return false;
    }

    // ---- part 3: the original ----

    private record Returned(String type, byte[] body, boolean full) {}

    private Returned returned(Envelope original, byte[] content) {
        int headerEnd = headerEnd(content);
        byte[] headers = Arrays.copyOf(content, headerEnd);
        boolean globalHeaders = original.smtpUtf8() && !isSevenBit(headers);
        boolean wantFull = original.ret() != Envelope.Ret.HDRS;
        if (wantFull && content.length <= returnLimit && carriesAs8bit(content)) {
            return new Returned(globalHeaders ? "message/global" : "message/rfc822", content, true);
        }
        if (headers.length <= returnLimit && carriesAs8bit(headers)) {
            return new Returned(globalHeaders ? "message/global-headers" : "text/rfc822-headers", headers, false);
        }
        return null;
    }

    /** Length of the header block including the CRLF of its last line; all of it when there is no body. */
    private static int headerEnd(byte[] content) {
        if (content.length >= 2 && content[0] == '\r' && content[1] == '\n') return 0;
        for (int i = 0; i + 3 < content.length; i++) {
            if (content[i] == '\r' && content[i + 1] == '\n' && content[i + 2] == '\r' && content[i + 3] == '\n') {
                return i + 2;
            }
        }
        return content.length;
    }

    /** True when the bytes are valid 8bit data (RFC 2045 section 2.8): CRLF lines of at most 998 octets, no NUL. */
    private static boolean carriesAs8bit(byte[] b) {
        int lineLength = 0;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c == 0) return false;
            if (c == '\r') {
                if (i + 1 >= b.length || b[i + 1] != '\n') return false;
                i++;
                lineLength = 0;
            } else if (c == '\n') {
                return false;
            } else if (++lineLength > 998) {
                return false;
            }
        }
        return true;
    }

    // ---- assembly ----

    private static String subject(Set<Action> actions) {
        if (actions.contains(Action.FAILED)) return "Undelivered Mail Returned to Sender";
        if (actions.contains(Action.DELAYED)) return "Delayed Mail (still being retried)";
        return "Successful Mail Delivery Report";
    }

    private static String textPartHeaders(byte[] text) {
        boolean ascii = isSevenBit(text);
        return Lines.header("Content-Type", "text/plain; charset=" + (ascii ? "us-ascii" : "utf-8"))
                + Lines.header("Content-Description", "Notification")
                + Lines.header("Content-Transfer-Encoding", ascii ? "7bit" : "8bit");
    }

    private static String partHeaders(String type, byte[] body) {
        return Lines.header("Content-Type", type)
                + Lines.header("Content-Transfer-Encoding", isSevenBit(body) ? "7bit" : "8bit");
    }

    /** Each part: the delimiter, its headers, a blank line, its body. The CRLF before a delimiter belongs to it. */
    private static void writePart(ByteArrayOutputStream out, String boundary, String headers, byte[] body) {
        writeAscii(out, CRLF + "--" + boundary + CRLF);
        out.writeBytes(utf8(headers + CRLF));
        out.writeBytes(body);
    }

    /** A boundary that occurs in none of the parts, so no part can end early (RFC 2046 section 5.1.1). */
    private static String boundary(QueueId id, List<byte[]> parts) {
        while (true) {
            String candidate = "=_petrel_" + id + "_" + hex(8);
            byte[] needle = candidate.getBytes(StandardCharsets.US_ASCII);
            if (parts.stream().noneMatch(p -> contains(p, needle))) return candidate;
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    private static boolean isSevenBit(byte[] b) {
        for (byte c : b) if (c < 0) return false;
        return true;
    }

    private static String hex(int bytes) {
        byte[] r = new byte[bytes];
        RANDOM.nextBytes(r);
        return HexFormat.of().formatHex(r);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
