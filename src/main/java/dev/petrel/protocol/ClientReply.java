package dev.petrel.protocol;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply as an SMTP client receives it from a server: the three-digit code, the RFC 3463
 * enhanced status code when the server gave one, and the lines exactly as received (without
 * CRLF). Unlike {@link Reply}, which is what Petrel sends and is always well-formed, this keeps
 * whatever the remote server wrote, because bounces and logs must quote it verbatim.
 *
 * @param code     200 to 599
 * @param enhanced the enhanced status code from the first line (e.g. {@code 5.1.1}), or null when
 *                 absent or when its class does not match the reply code
 * @param lines    the raw lines, e.g. {@code ["550-5.1.1 No such user", "550 5.1.1 see docs"]}
 */
public record ClientReply(int code, String enhanced, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    public ClientReply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply has at least one line");
    }

    /** Builds a reply from well-formed raw lines, taking the enhanced code from the first one. */
    public static ClientReply of(int code, List<String> lines) {
        return new ClientReply(code, enhancedStatus(code, text(lines.getFirst())), lines);
    }

    /** The enhanced status code at the start of {@code text}, when its class matches {@code code}. */
    static String enhancedStatus(int code, String text) {
        Matcher m = ENHANCED.matcher(text);
        if (!m.find() || m.group(1).charAt(0) - '0' != code / 100) return null;
        return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }

    private static String text(String line) {
        return line.length() > 4 ? line.substring(4) : "";
    }

    /** The text of each line after {@code "250-"} or {@code "250 "} (EHLO keywords live here). */
    public List<String> texts() {
        return lines.stream().map(ClientReply::text).toList();
    }

    /** The reply on one line, as the server wrote it: the raw lines joined with a space. */
    public String verbatim() {
        return String.join(" ", lines);
    }

    /** The RFC 3463 status this reply stands for: its enhanced code, else {@code X.0.0} of its class. */
    public String dsn() {
        return enhanced != null ? enhanced : (code / 100) + ".0.0";
    }

    public boolean isPositive() {
        return code < 300;
    }

    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    @Override
    public String toString() {
        return verbatim();
    }
}
