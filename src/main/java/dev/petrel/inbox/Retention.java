package dev.petrel.inbox;

import java.time.Duration;

/**
 * How much the inbox keeps: at most {@code maxMessages} messages (the oldest go first) and none
 * older than {@code maxAge} (by received time). Zero or null means no limit of that kind.
 */
public record Retention(long maxMessages, Duration maxAge) {
    public Retention {
        if (maxMessages < 0) throw new IllegalArgumentException("maxMessages must be 0 (no limit) or positive");
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) maxAge = null;
    }

    /** Keep everything. */
    public static Retention unlimited() {
        return new Retention(0, null);
    }

    /** Keep the newest {@code count} messages. */
    public static Retention maxMessages(long count) {
        return new Retention(count, null);
    }

    public Retention withMaxAge(Duration age) {
        return new Retention(maxMessages, age);
    }

    boolean limitsCount() {
        return maxMessages > 0;
    }

    boolean limitsAge() {
        return maxAge != null;
    }
}
