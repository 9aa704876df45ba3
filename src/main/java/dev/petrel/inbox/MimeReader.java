package dev.petrel.inbox;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads captured messages with mime4j: addresses, subject, bodies, attachments and header fields,
 * and single parts by part id. Lenient on purpose: a capture inbox must show whatever a client sent,
 * so limits are off and a field that does not parse is shown as absent, never an error.
 *
 * <p>Part ids number the MIME tree the way IMAP does (RFC 3501 section 6.4.5): the children of the
 * top multipart are {@code 1}, {@code 2}, ...; their children {@code 1.1}, {@code 1.2}; a message
 * that is not multipart has the single part {@code 1}. A message/rfc822 part is one leaf (its bytes
 * are the attached message). Thread-safe: each call builds its own parser.
 */
final class MimeReader {
    private static final java.util.regex.Pattern COMMENT = java.util.regex.Pattern.compile("\\([^()]*\\)");
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    /** An RFC 2045 token: what a charset name may be when it is echoed into an HTTP header. */
    private static final Pattern CHARSET_TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`{|}~-]{1,64}");
    /** RFC 5322 section 4.3: the obsolete zone names and their offsets; military letters mean "unknown", taken as UTC. */
    private static final java.util.Map<String, String> OBSOLETE_ZONES = java.util.Map.ofEntries(
            java.util.Map.entry("UT", "+0000"), java.util.Map.entry("GMT", "+0000"), java.util.Map.entry("Z", "+0000"),
            java.util.Map.entry("EST", "-0500"), java.util.Map.entry("EDT", "-0400"), java.util.Map.entry("CST", "-0600"),
            java.util.Map.entry("CDT", "-0500"), java.util.Map.entry("MST", "-0700"), java.util.Map.entry("MDT", "-0600"),
            java.util.Map.entry("PST", "-0800"), java.util.Map.entry("PDT", "-0700"));
    private static final MimeConfig LENIENT = new MimeConfig.Builder()
            .setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1)
            .setStrictParsing(false).build();

    private MimeReader() {
    }

    /** Parses {@code raw}; never fails on malformed MIME (what cannot be read is left empty). */
    static ParsedMessage parse(byte[] raw) {
        return parse(raw, false);
    }

    /** As {@link #parse(byte[])}, with attachment checksums when {@code withChecksums}. */
    static ParsedMessage parse(byte[] raw, boolean withChecksums) {
        Message message = load(raw);
        try {
            Collector collector = new Collector(withChecksums);
            walk(message, "", collector, false);
            return new ParsedMessage(
                    first(quietly(message::getFrom)),
                    mailboxes(quietly(message::getTo)),
                    mailboxes(quietly(message::getCc)),
                    mailboxes(quietly(message::getBcc)),
                    mailboxes(quietly(message::getReplyTo)),
                    orEmpty(quietly(message::getSubject)),
                    stripAngles(orEmpty(quietly(message::getMessageId))),
                    date(message),
                    returnPath(message),
                    collector.text.toString(),
                    collector.html.toString(),
                    collector.attachments,
                    collector.inline,
                    headers(message));
        } finally {
            message.dispose();
        }
    }

    /** The decoded content of part {@code partId}, or empty when there is no such leaf part. */
    static Optional<PartContent> part(byte[] raw, String partId) {
        Message message = load(raw);
        try {
            Entity entity = find(message, partId);
            if (entity == null) return Optional.empty();
            return Optional.of(new PartContent(servedContentType(entity), fileName(entity), content(entity)));
        } finally {
            message.dispose();
        }
    }

    private static Message load(byte[] raw) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(LENIENT);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        try {
            return builder.parseMessage(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            // Reading from memory cannot fail for I/O; mime4j reports only malformations this way, which LENIENT turns off.
            throw new UncheckedIOException("could not parse a message held in memory", e);
        }
    }

    private static final class Collector {
        final boolean withChecksums;
        final StringBuilder text = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final List<AttachmentInfo> attachments = new ArrayList<>();
        final List<AttachmentInfo> inline = new ArrayList<>();

        Collector(boolean withChecksums) {
            this.withChecksums = withChecksums;
        }
    }

    private static void walk(Entity entity, String id, Collector out, boolean insideRelated) {
        if (entity.getBody() instanceof Multipart multipart && !(entity.getBody() instanceof Message)) {
            boolean related = "multipart/related".equalsIgnoreCase(entity.getMimeType());
            List<Entity> parts = multipart.getBodyParts();
            for (int i = 0; i < parts.size(); i++) {
                walk(parts.get(i), id.isEmpty() ? String.valueOf(i + 1) : id + "." + (i + 1), out, related || insideRelated);
            }
            return;
        }
        String partId = id.isEmpty() ? "1" : id;
        String mimeType = entity.getMimeType() == null ? "text/plain" : entity.getMimeType().toLowerCase(Locale.ROOT);
        String disposition = entity.getDispositionType() == null ? "" : entity.getDispositionType().toLowerCase(Locale.ROOT);
        String fileName = fileName(entity);
        boolean attachment = disposition.equals("attachment") || !fileName.isEmpty();
        if (!attachment && mimeType.equals("text/plain")) {
            append(out.text, text(entity));
        } else if (!attachment && mimeType.equals("text/html")) {
            append(out.html, text(entity));
        } else {
            String contentId = contentId(entity);
            byte[] content = content(entity);
            AttachmentInfo info = new AttachmentInfo(partId, fileName, mimeType, contentId, content.length,
                    out.withChecksums ? checksums(content) : null);
            boolean isInline = !contentId.isEmpty() && !disposition.equals("attachment") && (insideRelated || disposition.equals("inline"));
            (isInline ? out.inline : out.attachments).add(info);
        }
    }

    private static AttachmentInfo.Checksums checksums(byte[] content) {
        return new AttachmentInfo.Checksums(digest("MD5", content), digest("SHA-1", content), digest("SHA-256", content));
    }

    private static String digest(String algorithm, byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    private static Entity find(Entity entity, String partId) {
        Entity current = entity;
        if (!(current.getBody() instanceof Multipart) || current.getBody() instanceof Message) {
            return partId.equals("1") ? current : null;
        }
        for (String step : partId.split("\\.", -1)) {
            if (!(current.getBody() instanceof Multipart multipart) || current.getBody() instanceof Message) return null;
            int index;
            try {
                index = Integer.parseInt(step);
            } catch (NumberFormatException e) {
                return null;
            }
            if (index < 1 || index > multipart.getBodyParts().size()) return null;
            current = multipart.getBodyParts().get(index - 1);
        }
        return current.getBody() instanceof Multipart && !(current.getBody() instanceof Message) ? null : current;
    }

    private static void append(StringBuilder target, String text) {
        if (text.isEmpty()) return;
        if (!target.isEmpty()) target.append('\n');
        target.append(text);
    }

    private static String text(Entity entity) {
        Body body = entity.getBody();
        if (body instanceof TextBody textBody) {
            try (Reader reader = textBody.getReader()) {
                StringBuilder sb = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) > 0; ) sb.append(buffer, 0, n);
                return sb.toString();
            } catch (IOException | RuntimeException e) {
                // An unknown or broken charset: show the bytes as UTF-8 rather than nothing.
                return new String(content(entity), StandardCharsets.UTF_8);
            }
        }
        return new String(content(entity), StandardCharsets.UTF_8);
    }

    private static byte[] content(Entity entity) {
        Body body = entity.getBody();
        try {
            if (body instanceof SingleBody single) {
                try (InputStream in = single.getInputStream()) {
                    return in.readAllBytes();
                }
            }
            if (body instanceof Message nested) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new DefaultMessageWriter().writeMessage(nested, out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a message part held in memory", e);
        }
        return new byte[0];
    }

    /**
     * The Content-Type to serve a part with: its media type without parameters, as Mailpit serves it (so
     * a Mailpit client that compares {@code blob.type} with {@code "application/pdf"} matches, and a
     * {@code name=} parameter does not repeat the file name), plus the charset a text part declares,
     * which a reader needs. A charset that is not a plain token is left out rather than echoed.
     */
    private static String servedContentType(Entity entity) {
        String mediaType = entity.getMimeType() == null ? "text/plain" : entity.getMimeType().toLowerCase(Locale.ROOT);
        String charset = contentTypeParameter(entity, "charset");
        if (!mediaType.startsWith("text/") || charset == null || !CHARSET_TOKEN.matcher(charset.strip()).matches()) return mediaType;
        return mediaType + "; charset=" + charset.strip().toLowerCase(Locale.ROOT);
    }

    private static String fileName(Entity entity) {
        String name = quietly(entity::getFilename);
        if (name == null || name.isBlank()) {
            name = contentTypeParameter(entity, "name");
        }
        return name == null ? "" : DecoderUtil.decodeEncodedWords(name.strip(), DecodeMonitor.SILENT);
    }

    private static String contentTypeParameter(Entity entity, String parameter) {
        if (entity.getHeader() == null) return null;
        if (entity.getHeader().getField("Content-Type") instanceof org.apache.james.mime4j.dom.field.ContentTypeField ct) {
            return ct.getParameter(parameter);
        }
        return null;
    }

    private static String contentId(Entity entity) {
        Field field = entity.getHeader() == null ? null : entity.getHeader().getField("Content-ID");
        return field == null ? "" : stripAngles(unfold(field.getBody()));
    }

    private static String returnPath(Message message) {
        Field field = message.getHeader() == null ? null : message.getHeader().getField("Return-Path");
        return field == null ? "" : stripAngles(unfold(field.getBody()));
    }

    private static List<HeaderField> headers(Message message) {
        if (message.getHeader() == null) return List.of();
        List<HeaderField> fields = new ArrayList<>();
        for (Field field : message.getHeader().getFields()) {
            fields.add(new HeaderField(field.getName(), unfold(field.getBody())));
        }
        return fields;
    }

    /** Removes folding line breaks (RFC 5322 section 2.2.3) and outer white space. */
    static String unfold(String value) {
        if (value == null) return "";
        return value.replace("\r\n", "").replace("\n", "").replace("\r", "").strip();
    }

    private static MailboxAddress first(MailboxList list) {
        if (list == null || list.isEmpty()) return null;
        return address(list.get(0));
    }

    private static List<MailboxAddress> mailboxes(AddressList list) {
        if (list == null) return List.of();
        List<MailboxAddress> result = new ArrayList<>();
        for (Address address : list) {
            if (address instanceof Mailbox mailbox) result.add(address(mailbox));
            else if (address instanceof Group group) group.getMailboxes().forEach(m -> result.add(address(m)));
        }
        return result;
    }

    private static MailboxAddress address(Mailbox mailbox) {
        return new MailboxAddress(mailbox.getName(), mailbox.getAddress());
    }

    /**
     * The Date header with the sender's UTC offset when it is in the usual RFC 5322 form; otherwise
     * whatever instant mime4j's lenient parser finds (obsolete zones, odd spacing), shown in UTC.
     */
    private static OffsetDateTime date(Message message) {
        Field field = message.getHeader() == null ? null : message.getHeader().getField("Date");
        if (field == null) return null;
        String value = unfold(field.getBody());
        // Comments and runs of spaces are rare in Date: fields; skipping the regexes when there are none is measurably cheaper.
        if (value.indexOf('(') >= 0) value = COMMENT.matcher(value).replaceAll("");
        value = value.strip();
        if (value.contains("  ") || value.indexOf('\t') >= 0) value = WHITESPACE.matcher(value).replaceAll(" ");
        int lastSpace = value.lastIndexOf(' ');
        if (lastSpace > 0) {
            String offset = OBSOLETE_ZONES.get(value.substring(lastSpace + 1).toUpperCase(Locale.ROOT));
            if (offset != null) value = value.substring(0, lastSpace + 1) + offset;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            Date lenient = quietly(message::getDate);
            return lenient == null ? null : lenient.toInstant().atOffset(ZoneOffset.UTC);
        }
    }

    private static String stripAngles(String value) {
        String v = value.strip();
        if (v.startsWith("<") && v.endsWith(">") && v.length() >= 2) v = v.substring(1, v.length() - 1);
        return v.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** mime4j parses a field when it is first read; a malformed one may throw: treat it as absent. */
    private static <T> T quietly(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
