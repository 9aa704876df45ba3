package dev.petrel.inbox;

import java.util.List;

/**
 * One page of a list or a search, with the counts Mailpit reports.
 *
 * @param total          messages in the store
 * @param unread         unread messages in the store
 * @param matching       messages that match the search (all of them for a plain list)
 * @param matchingUnread unread messages that match
 * @param start          the offset of the first message of this page
 * @param tags           every tag in use, sorted
 * @param messages       this page, newest first
 */
public record MessagePage(long total, long unread, long matching, long matchingUnread, int start, List<String> tags,
                          List<MessageSummary> messages) {
    public MessagePage {
        tags = List.copyOf(tags);
        messages = List.copyOf(messages);
    }
}
