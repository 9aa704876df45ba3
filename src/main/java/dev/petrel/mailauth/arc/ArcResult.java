package dev.petrel.mailauth.arc;

import java.util.Locale;

/**
 * The outcome of validating a message's ARC chain (RFC 8617 section 5.2; the {@code arc} method of
 * RFC 8601 has exactly these three results).
 *
 * @param kind       none (no ARC fields), pass or fail
 * @param instances  how many ARC sets the message carries (the highest {@code i=}), 0 for none
 * @param oldestPass for pass: the lowest instance whose ARC-Message-Signature still verifies, or 0
 *                   when all do (RFC 8617 section 5.2 step 4); -1 otherwise
 * @param reason     for fail: what broke, for logs and diagnostics; null otherwise
 */
public record ArcResult(Kind kind, int instances, int oldestPass, String reason) {
    public enum Kind {
        NONE, PASS, FAIL;

        /** As RFC 8601 and the {@code cv=} tag write it. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ArcResult none() {
        return new ArcResult(Kind.NONE, 0, -1, null);
    }

    static ArcResult pass(int instances, int oldestPass) {
        return new ArcResult(Kind.PASS, instances, oldestPass, null);
    }

    static ArcResult fail(int instances, String reason) {
        return new ArcResult(Kind.FAIL, instances, -1, reason);
    }
}
