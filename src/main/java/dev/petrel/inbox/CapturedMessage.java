package dev.petrel.inbox;

import java.util.List;
import java.util.Objects;

/**
 * A message handed to the inbox: which inbox it goes to, its bytes exactly as received, and the
 * session facts. The bytes are not copied: the caller must not change them afterwards.
 *
 * @param inbox the inbox name (chosen by the caller's grouping rule; {@link #DEFAULT_INBOX} when none applies)
 * @param raw   the message as received (header and body, CRLF line endings as on the wire)
 * @param facts the envelope and session
 * @param tags  labels to attach (searchable with {@code tag:}); may be empty
 */
public record CapturedMessage(String inbox, byte[] raw, SessionFacts facts, List<String> tags) {
    /** The inbox of messages that no grouping rule placed elsewhere. */
    public static final String DEFAULT_INBOX = "default";

    public CapturedMessage {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(facts, "facts");
        inbox = inbox == null || inbox.isBlank() ? DEFAULT_INBOX : inbox.strip();
        tags = tags == null ? List.of() : tags.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
    }

    public CapturedMessage(String inbox, byte[] raw, SessionFacts facts) {
        this(inbox, raw, facts, List.of());
    }
}
