package dev.petrel.inbox;

/**
 * One named inbox and how many messages it holds.
 *
 * @param name   the inbox name (see the [capture] inbox_by rules)
 * @param total  messages in it
 * @param unread unread messages in it
 */
public record InboxCount(String name, long total, long unread) {
}
