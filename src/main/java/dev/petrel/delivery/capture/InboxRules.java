package dev.petrel.delivery.capture;

import dev.petrel.inbox.CapturedMessage;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which inbox a captured message goes to, so that parallel tests share one server without seeing
 * each other's mail ([capture] inbox_by). Rules are tried in order and the first that yields a
 * name wins: {@code header:Name} (that header field's value), {@code tag} (the recipient's
 * plus-address tag, {@code bob+signup@example.com} → {@code signup}), {@code user} (the SMTP AUTH
 * user). Without a name the inbox is {@code default}. Names are cleaned to letters, digits and
 * {@code . _ - @ +}, at most 64 characters, so they are safe in URLs and queries. Immutable.
 */
public final class InboxRules {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._@+-]");
    private static final int MAX_NAME = 64;

    private final List<String> rules;

    /** @param rules e.g. {@code ["header:X-Petrel-Inbox", "tag", "user"]}, as validated by the config */
    public InboxRules(List<String> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The inbox of {@code recipient}'s copy of {@code message}. */
    public String inboxFor(Envelope envelope, MailMessage message, MailAddress recipient) {
        for (String rule : rules) {
            String name = switch (rule) {
                case "tag" -> recipient.plusTag();
                case "user" -> envelope.authIdentity();
                default -> header(message, rule.substring("header:".length()));
            };
            String clean = clean(name);
            if (clean != null) return clean;
        }
        return CapturedMessage.DEFAULT_INBOX;
    }

    private static String header(MailMessage message, String name) {
        List<MailMessage.HeaderField> fields = message.headers(name);
        return fields.isEmpty() ? null : fields.getFirst().value();
    }

    private static String clean(String name) {
        if (name == null) return null;
        String clean = UNSAFE.matcher(name.strip()).replaceAll("_").toLowerCase(Locale.ROOT);
        if (clean.isEmpty()) return null;
        return clean.length() > MAX_NAME ? clean.substring(0, MAX_NAME) : clean;
    }
}
