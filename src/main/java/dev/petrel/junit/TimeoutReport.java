package dev.petrel.junit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

/**
 * The failure of an {@code await} that timed out, saying why: what was awaited, what this test's inbox
 * holds, and what arrived elsewhere (mail sent without the test's tag or header lands in another
 * inbox, the most common cause). It lists the newest messages as the API shows them at that moment.
 */
final class TimeoutReport {
    static final int SHOWN = 10;

    private TimeoutReport() {}

    /**
     * @param scope null when the await was not confined to the test's inbox
     */
    static AssertionError build(InboxClient client, InboxScope scope, MailQuery query, Duration timeout) {
        StringBuilder sb = new StringBuilder("No message matching ").append(query);
        if (!query.render().isEmpty()) sb.append(" [query: ").append(query.render()).append(']');
        sb.append(scope == null ? " arrived in any inbox" : " arrived in this test's inbox '" + scope.inbox() + "'")
                .append(" within ").append(describe(timeout)).append(" (counting only mail stored after the test started).");
        try {
            if (scope == null) {
                list(sb, "The inbox holds", client.latest("", SHOWN), false);
            } else {
                list(sb, "This test's inbox holds", client.latest("inbox:" + scope.inbox(), SHOWN), false);
                List<JsonNode> elsewhere = client.latest("-inbox:" + scope.inbox(), SHOWN);
                list(sb, "Other inboxes hold", elsewhere, true);
                if (!elsewhere.isEmpty()) {
                    sb.append("\nMail reaches this test's inbox when it is sent to inbox.address(\"user@example.com\") (user+")
                            .append(scope.inbox()).append("@example.com) or carries the header ")
                            .append(PetrelInbox.INBOX_HEADER).append(": ").append(scope.inbox()).append('.');
                }
            }
        } catch (IllegalStateException e) {
            sb.append("\n(The inbox's contents could not be listed: ").append(e.getMessage()).append(')');
        }
        return new AssertionError(sb.toString());
    }

    private static void list(StringBuilder sb, String title, List<JsonNode> messages, boolean withInbox) {
        sb.append('\n').append(title);
        if (messages.isEmpty()) {
            sb.append(" no messages.");
            return;
        }
        sb.append(" (newest first").append(messages.size() == SHOWN ? ", the " + SHOWN + " newest" : "").append("):");
        for (JsonNode m : messages) {
            sb.append("\n  - \"").append(m.path("Subject").asText("")).append("\" to ").append(CapturedMail.addresses(m.path("To")))
                    .append(" from ").append(m.path("From").path("Address").asText("(nobody)"));
            if (withInbox) sb.append(" in inbox '").append(m.path("Inbox").asText()).append('\'');
            sb.append(" (").append(m.path("ID").asText()).append(", ").append(m.path("Created").asText()).append(')');
        }
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
