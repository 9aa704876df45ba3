package dev.petrel.protocol;

import dev.petrel.message.Envelope;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Builds the trace header that RFC 5321 section 4.4 requires a server to add to each message it
 * accepts. The protocol keyword follows RFC 3848 and RFC 6531 (ESMTP, ESMTPS, ESMTPSA,
 * UTF8SMTPS, ...). The recipient is named only when there is exactly one, so that a message to
 * many does not reveal the others. The user name of an authenticated client is left out.
 */
public final class ReceivedHeader {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private ReceivedHeader() {}

    public static byte[] build(Envelope env, String queueId, String hostname, boolean esmtp) {
        StringBuilder sb = new StringBuilder("Received: from ")
                .append(env.helo() == null ? "unknown" : printable(env.helo()))
                .append(" (").append(addressLiteral(env.client())).append(")\r\n");
        if (env.tls() != null) {
            sb.append("\t(using ").append(env.tls().protocol()).append(" with cipher ")
                    .append(env.tls().cipherSuite()).append(")\r\n");
        }
        sb.append("\tby ").append(hostname).append(" (Petrel) with ").append(protocolKeyword(env, esmtp))
                .append(" id ").append(queueId).append("\r\n\t");
        if (env.recipients().size() == 1) {
            sb.append("for <").append(env.recipients().getFirst().address()).append(">; ");
        }
        sb.append(DATE.format(env.receivedAt().atOffset(ZoneOffset.UTC))).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The client's EHLO/HELO name with control characters (NUL, ESC, VT, DEL, C1) replaced by
     * '?', as Postfix does: the name is client text, and a trace header must not carry them.
     */
    static String printable(String s) {
        return dev.petrel.message.ClientText.printable(s);
    }

    static String protocolKeyword(Envelope env, boolean esmtp) {
        if (!esmtp) return "SMTP";
        String base = env.smtpUtf8() ? "UTF8SMTP" : "ESMTP";
        String suffix = (env.tls() != null ? "S" : "") + (env.authIdentity() != null ? "A" : "");
        return base + suffix;
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}, as in RFC 5321 address literals. */
    public static String addressLiteral(InetAddress a) {
        return a instanceof Inet6Address ? "[IPv6:" + a.getHostAddress().replaceFirst("%.*$", "") + "]"
                : "[" + a.getHostAddress() + "]";
    }
}
