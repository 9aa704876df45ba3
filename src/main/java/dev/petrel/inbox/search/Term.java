package dev.petrel.inbox.search;

import java.time.Instant;
import java.util.Locale;

/**
 * One condition of a search. Text values are kept lowercase: every text comparison is a
 * case-insensitive "contains" (Unicode lowercase on both sides), except {@link Inbox}, which is an
 * exact name.
 */
public sealed interface Term {
    /** Free text: in the subject, any address (From, To, Cc, Bcc, Reply-To), the Message-ID, the text body or an attachment name. */
    record Text(String value) implements Term {
    }

    /** {@code from:}, {@code to:}, {@code cc:}, {@code bcc:}, {@code reply-to:}, {@code subject:}, {@code message-id:}, {@code rcpt:}, {@code mailfrom:}. */
    record Field(FieldName field, String value) implements Term {
    }

    /** {@code header:Name} (present) or {@code header:Name=value} (present with a value containing value). */
    record Header(String name, String valueOrNull) implements Term {
    }

    /** {@code tag:name}: the message carries that tag (exact, case-insensitive). */
    record Tag(String name) implements Term {
    }

    /** {@code inbox:NAME}: the message is in that inbox (exact name). */
    record Inbox(String name) implements Term {
    }

    /** {@code has:attachment}, {@code has:inline}. */
    record Has(Feature feature) implements Term {
    }

    /** {@code is:read} ({@code read} true) or {@code is:unread}. */
    record Read(boolean read) implements Term {
    }

    /** {@code after:DATE}: received at or after {@code instant}. */
    record ReceivedAfter(Instant instant) implements Term {
    }

    /** {@code before:DATE}: received before {@code instant}. */
    record ReceivedBefore(Instant instant) implements Term {
    }

    /** {@code larger:SIZE} ({@code larger} true) or {@code smaller:SIZE}, in bytes. */
    record Size(boolean larger, long bytes) implements Term {
    }

    /** The message fields that {@link Field} can search. */
    enum FieldName {
        FROM("from"), TO("to"), CC("cc"), BCC("bcc"), REPLY_TO("reply-to"), SUBJECT("subject"),
        MESSAGE_ID("message-id"), RCPT("rcpt"), MAIL_FROM("mailfrom");

        private final String keyword;

        FieldName(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        static FieldName byKeyword(String keyword) {
            for (FieldName f : values()) if (f.keyword.equals(keyword.toLowerCase(Locale.ROOT))) return f;
            return null;
        }
    }

    /** What {@code has:} can ask for. */
    enum Feature { ATTACHMENT, INLINE }
}
