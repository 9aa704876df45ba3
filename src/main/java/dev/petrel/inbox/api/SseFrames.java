package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.inbox.InboxEvent;
import dev.petrel.inbox.MessageSummary;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of server-sent events (WHATWG HTML, "Server-sent events"): {@code event:} and
 * {@code data:} lines ended by a blank line, and {@code :} comments that clients ignore.
 */
final class SseFrames {
    /** Event names, one per kind of store change. */
    static final String STORED = "stored";
    static final String DELETED = "deleted";
    static final String READ = "read";

    /** Sent first: how long the browser waits before reconnecting, and a comment that opens the stream. */
    static final String OPENING = "retry: 3000\n: petrel inbox events\n\n";
    static final String HEARTBEAT = ": heartbeat\n\n";

    private SseFrames() {
    }

    /** The frames of one store change: one {@code stored} event per message, one event per delete or read change. */
    static List<String> of(InboxEvent event) {
        return switch (event) {
            case InboxEvent.Stored stored -> {
                List<String> frames = new ArrayList<>(stored.messages().size());
                for (MessageSummary m : stored.messages()) frames.add(frame(STORED, ApiJson.write(ApiJson.summary(m))));
                yield frames;
            }
            case InboxEvent.Deleted deleted -> List.of(frame(DELETED, ApiJson.write(ids(deleted.ids()))));
            case InboxEvent.ReadChanged changed -> {
                ObjectNode node = ids(changed.ids());
                node.put("Read", changed.read());
                yield List.of(frame(READ, ApiJson.write(node)));
            }
        };
    }

    static String frame(String name, String data) {
        StringBuilder sb = new StringBuilder(data.length() + name.length() + 16);
        sb.append("event: ").append(name).append('\n');
        // JSON from Jackson has no raw line breaks, but a data line must never hold one: split to be sure.
        for (String line : data.split("\r\n|\r|\n", -1)) sb.append("data: ").append(line).append('\n');
        return sb.append('\n').toString();
    }

    private static ObjectNode ids(List<String> ids) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        ArrayNode array = node.putArray("IDs");
        ids.forEach(array::add);
        return node;
    }
}
