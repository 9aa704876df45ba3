package dev.petrel.policy;

/**
 * The outcome of one policy check, at any stage (connect, HELO, MAIL, RCPT, end of data). Every
 * variant but {@link Accept} names the {@code rule} that made it, for the log line.
 */
public sealed interface Verdict {
    /** Go on. */
    record Accept() implements Verdict {}

    /** Refuse for good: a 5xx {@code code}, its RFC 3463 enhanced status and text. */
    record Reject(int code, String enhanced, String text, String rule) implements Verdict {
        public Reject {
            if (code < 500 || code > 599) throw new IllegalArgumentException("a rejection is 5xx, not " + code);
        }
    }

    /** Refuse for now, the client should try again later: a 4xx {@code code}, enhanced status and text. */
    record Defer(int code, String enhanced, String text, String rule) implements Verdict {
        public Defer {
            if (code < 400 || code > 499) throw new IllegalArgumentException("a deferral is 4xx, not " + code);
        }
    }

    /**
     * Accept, but keep the message held in the queue until an operator releases or deletes it
     * ({@code petrel queue release|delete}); the client sees a normal 250.
     */
    record Quarantine(String reason, String rule) implements Verdict {}

    Verdict ACCEPT = new Accept();
}
