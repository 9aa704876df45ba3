package dev.petrel.cli;

import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.smtp.Submission;
import dev.petrel.message.AddressList;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code petrel sendmail}: the sendmail interface that programs (PHP's mail(), cron, git
 * send-email) call with a message on standard input. The message goes to the running Petrel over
 * SMTP on its first mx listener, so it meets the same policy and DKIM signing as any other; from
 * loopback it may relay as a trusted network (the default [relay] trusted_networks). Exit codes
 * follow sendmail's (sysexits.h): 0 accepted, 64 usage, 65 bad message, 67 a recipient unknown,
 * 69 refused for another reason, 74 standard input unreadable, 75 try again later.
 */
@Command(name = "sendmail", mixinStandardHelpOptions = true,
        description = "Send the message on standard input through the running Petrel, as sendmail does: "
                + "RECIPIENT arguments and/or -t; a line with a single '.' ends the input unless -i.")
final class SendmailCommand implements Callable<Integer> {
    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_IOERR = 74;
    static final int EX_TEMPFAIL = 75;

    @Option(names = "--config", paramLabel = "FILE", description = "The TOML config of the running Petrel (default: the embedded defaults).")
    Path config;

    @Option(names = "-t", description = "Also send to the To:, Cc: and Bcc: addresses of the message (Bcc: is removed).")
    boolean fromHeaders;

    @Option(names = {"-i", "-oi"}, description = "A line with a single '.' does not end the input.")
    boolean ignoreDots;

    @Option(names = "-f", paramLabel = "SENDER", description = "The envelope sender (default: USER@hostname).")
    String sender;

    @Parameters(paramLabel = "RECIPIENT", description = "Recipient addresses.")
    List<String> recipients = new ArrayList<>();

    InputStream in = System.in;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        PetrelConfig cfg;
        try {
            cfg = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return EX_USAGE;
        }
        InetSocketAddress listener = listener(cfg);
        if (listener == null) {
            err.println("sendmail: the config has no mx-mode [[listener]] to hand the message to");
            return EX_USAGE;
        }
        long max = cfg.smtp().maxMessageSize();
        byte[] raw;
        try {
            raw = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            err.println("sendmail: cannot read the message from standard input: " + e.getMessage());
            return EX_IOERR;
        }
        if (raw.length > max) {
            err.println("sendmail: the message is larger than smtp.max_message_size (" + max + " bytes)");
            return EX_DATAERR;
        }
        Message message = Message.of(raw, ignoreDots);
        Set<String> to = new LinkedHashSet<>(recipients);
        if (fromHeaders) {
            try {
                for (String field : List.of("to", "cc", "bcc")) {
                    for (String value : message.fields(field)) AddressList.parse(value).forEach(a -> to.add(a.toString()));
                }
            } catch (IllegalArgumentException e) {
                err.println("sendmail: cannot read the recipients of the message: " + e.getMessage());
                return EX_DATAERR;
            }
            message = message.without("bcc");
        }
        if (to.isEmpty()) {
            err.println("sendmail: no recipients: give them as arguments, or use -t to take them from To:, Cc: and Bcc:");
            return EX_USAGE;
        }
        MailAddress from;
        List<Recipient> rcpts = new ArrayList<>();
        try {
            from = sender != null && sender.isEmpty() ? null : Petrel.parseAddress(sender != null ? sender : System.getProperty("user.name", "nobody")
                    + "@" + cfg.server().hostname());
            for (String r : to) rcpts.add(Recipient.of(Petrel.parseAddress(r)));
        } catch (IllegalArgumentException e) {
            err.println("sendmail: " + e.getMessage());
            return EX_USAGE;
        }
        byte[] content = message.completed(from, cfg.server().hostname()).bytes();
        Envelope envelope = new Envelope(from, rcpts, Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, null,
                InetAddress.getLoopbackAddress(), cfg.server().hostname(), "(sendmail)", null, Instant.now());
        return report(Submission.submit(cfg, listener, envelope, content));
    }

    private int report(List<DeliveryStatus> statuses) {
        int code = EX_OK;
        for (DeliveryStatus s : statuses) {
            if (s.outcome() == DeliveryStatus.Outcome.DELIVERED) continue;
            err.println("sendmail: <" + s.recipient() + ">: " + s.reply());
            int c = s.outcome() == DeliveryStatus.Outcome.TEMPORARY_FAILURE ? EX_TEMPFAIL
                    : s.dsn().startsWith("5.1.") ? EX_NOUSER : EX_UNAVAILABLE; // 5.1.x: a bad or unknown address
            code = code == EX_TEMPFAIL ? code : c; // a temporary failure wins: trying again may deliver all
        }
        return code;
    }

    /** The first mx-mode listener; a wildcard address means this machine's loopback on that port. */
    static InetSocketAddress listener(PetrelConfig cfg) {
        for (PetrelConfig.Listener l : cfg.listeners()) {
            if (l.mode() != PetrelConfig.ListenerMode.MX || l.tls() == PetrelConfig.TlsMode.IMPLICIT || l.proxyProtocol()) continue;
            InetSocketAddress a = l.address();
            return a.getAddress().isAnyLocalAddress() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort()) : a;
        }
        return null;
    }

    /** The message as read: CRLF line ends, header fields apart from the body. */
    record Message(List<String> header, String body) {
        static Message of(byte[] raw, boolean ignoreDots) {
            // ISO-8859-1 maps every byte to one char and back: 8-bit bodies in any charset pass through untouched.
            String text = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
            if (!ignoreDots) {
                int dot = lines.indexOf(".");
                if (dot >= 0) lines = new ArrayList<>(lines.subList(0, dot)); // sendmail's end of input
            }
            int blank = lines.indexOf("");
            List<String> header = new ArrayList<>();
            List<String> headerLines = blank < 0 ? lines : lines.subList(0, blank);
            for (String l : headerLines) {
                if ((l.startsWith(" ") || l.startsWith("\t")) && !header.isEmpty()) header.set(header.size() - 1, header.getLast() + "\r\n" + l);
                else header.add(l);
            }
            String body = blank < 0 ? "" : String.join("\r\n", lines.subList(blank + 1, lines.size()));
            return new Message(header, body);
        }

        List<String> fields(String name) {
            List<String> out = new ArrayList<>();
            for (String f : header) {
                int colon = f.indexOf(':');
                if (colon > 0 && f.substring(0, colon).strip().equalsIgnoreCase(name)) out.add(f.substring(colon + 1));
            }
            return out;
        }

        Message without(String name) {
            return new Message(header.stream().filter(f -> {
                int colon = f.indexOf(':');
                return colon <= 0 || !f.substring(0, colon).strip().equalsIgnoreCase(name);
            }).toList(), body);
        }

        /** With From:, Date: and Message-ID: added when missing, as Postfix's cleanup does for local mail. */
        Message completed(MailAddress from, String hostname) {
            List<String> h = new ArrayList<>(header);
            if (fields("from").isEmpty()) h.add("From: " + (from == null ? "MAILER-DAEMON@" + hostname : from));
            if (fields("date").isEmpty()) {
                h.add("Date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)));
            }
            if (fields("message-id").isEmpty()) h.add("Message-ID: <" + UUID.randomUUID() + "@" + hostname + ">");
            return new Message(h, body);
        }

        byte[] bytes() {
            return (String.join("\r\n", header) + "\r\n\r\n" + body + (body.isEmpty() ? "" : "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
