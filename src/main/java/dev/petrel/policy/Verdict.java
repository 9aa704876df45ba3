package dev.petrel.policy;

/** The outcome of one policy check. */
public sealed interface Verdict {
    /** Go on. */
    record Accept() implements Verdict {}

    /** Refuse with this SMTP code, RFC 3463 enhanced status and text; {@code rule} names the rule for logs. */
    record Reject(int code, String enhanced, String text, String rule) implements Verdict {}

    Verdict ACCEPT = new Accept();
}
