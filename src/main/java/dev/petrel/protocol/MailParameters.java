package dev.petrel.protocol;

import dev.petrel.message.Envelope.BodyType;
import dev.petrel.message.Envelope.Ret;
import dev.petrel.message.Recipient.Notify;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * ESMTP parameters of MAIL FROM (SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH) and of RCPT TO (NOTIFY,
 * ORCPT). Unknown parameters are refused, as RFC 5321 section 4.1.1.11 asks, and so are repeated
 * ones, except the SMTPUTF8 flag (a flag repeated says nothing new).
 */
public final class MailParameters {
    private MailParameters() {}

    /** Parsed MAIL FROM parameters. {@code declaredSize} is -1 when SIZE was not given. */
    public record Mail(long declaredSize, BodyType body, boolean smtpUtf8, Ret ret, String envId) {}

    /** Parsed RCPT TO parameters. */
    public record Rcpt(Set<Notify> notifyOn, String orcpt) {}

    public static Mail parseMail(String[] params) throws AddressSyntaxException {
        long size = -1;
        BodyType body = BodyType.SEVEN_BIT;
        boolean utf8 = false;
        Ret ret = null;
        String envId = null;
        Set<String> seen = new HashSet<>();
        for (String p : params) {
            String key = keyOf(p);
            String value = valueOf(p);
            // A repeated SMTPUTF8 flag means nothing more; Python's smtplib.send_message adds one
            // even when the caller already passed it, so refusing it breaks real clients.
            if (!seen.add(key) && !key.equals("SMTPUTF8")) {
                throw new AddressSyntaxException(Replies.badParameter("Parameter " + key + " given twice"));
            }
            switch (key) {
                case "SIZE" -> size = parseSize(value);
                case "BODY" -> body = switch (upper(required(key, value))) {
                    case "7BIT" -> BodyType.SEVEN_BIT;
                    case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> throw new AddressSyntaxException(
                            Reply.of(555, "5.5.4", "BODY=BINARYMIME is not supported"));
                    default -> throw new AddressSyntaxException(Replies.badParameter("BODY must be 7BIT or 8BITMIME"));
                };
                case "SMTPUTF8" -> {
                    if (value != null) throw new AddressSyntaxException(Replies.badParameter("SMTPUTF8 takes no value"));
                    utf8 = true;
                }
                case "RET" -> ret = switch (upper(required(key, value))) {
                    case "FULL" -> Ret.FULL;
                    case "HDRS" -> Ret.HDRS;
                    default -> throw new AddressSyntaxException(Replies.badParameter("RET must be FULL or HDRS"));
                };
                case "ENVID" -> {
                    envId = Xtext.decode(required(key, value));
                    if (envId.length() > 100) throw new AddressSyntaxException(Replies.badParameter("ENVID longer than 100 characters"));
                }
                case "AUTH" -> Xtext.decode(required(key, value)); // RFC 4954 5: accepted, not trusted
                default -> throw new AddressSyntaxException(Replies.unknownParameter(key));
            }
        }
        return new Mail(size, body, utf8, ret, envId);
    }

    public static Rcpt parseRcpt(String[] params) throws AddressSyntaxException {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = null;
        Set<String> seen = new HashSet<>();
        for (String p : params) {
            String key = keyOf(p);
            String value = valueOf(p);
            if (!seen.add(key)) throw new AddressSyntaxException(Replies.badParameter("Parameter " + key + " given twice"));
            switch (key) {
                case "NOTIFY" -> {
                    for (String v : required(key, value).split(",", -1)) {
                        try {
                            notify.add(Notify.valueOf(upper(v)));
                        } catch (IllegalArgumentException e) {
                            throw new AddressSyntaxException(Replies.badParameter("NOTIFY values are NEVER, SUCCESS, FAILURE, DELAY"));
                        }
                    }
                    if (notify.contains(Notify.NEVER) && notify.size() > 1) {
                        throw new AddressSyntaxException(Replies.badParameter("NOTIFY=NEVER cannot be combined with other values"));
                    }
                }
                case "ORCPT" -> {
                    String v = required(key, value);
                    int semi = v.indexOf(';');
                    if (semi <= 0 || semi == v.length() - 1) {
                        throw new AddressSyntaxException(Replies.badParameter("ORCPT syntax: addr-type;address"));
                    }
                    orcpt = v.substring(0, semi) + ";" + Xtext.decode(v.substring(semi + 1));
                    if (orcpt.length() > 500) throw new AddressSyntaxException(Replies.badParameter("ORCPT too long"));
                }
                default -> throw new AddressSyntaxException(Replies.unknownParameter(key));
            }
        }
        return new Rcpt(notify, orcpt);
    }

    private static long parseSize(String value) throws AddressSyntaxException {
        String v = required("SIZE", value);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new AddressSyntaxException(Replies.badParameter("SIZE must be a number of octets"));
        }
        return Long.parseLong(v);
    }

    private static String required(String key, String value) throws AddressSyntaxException {
        if (value == null || value.isEmpty()) throw new AddressSyntaxException(Replies.badParameter(key + " needs a value"));
        return value;
    }

    private static String keyOf(String p) {
        int eq = p.indexOf('=');
        return upper(eq < 0 ? p : p.substring(0, eq));
    }

    private static String valueOf(String p) {
        int eq = p.indexOf('=');
        return eq < 0 ? null : p.substring(eq + 1);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
