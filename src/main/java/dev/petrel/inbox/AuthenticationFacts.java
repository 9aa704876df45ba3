package dev.petrel.inbox;

import java.util.List;

/**
 * The mail-authentication outcome of a captured message, as the receiving side saw it. Kept as text
 * so that the inbox does not depend on how {@code mailauth} models results, and so that a test can
 * assert on exactly what a receiver would have written.
 *
 * @param resultsHeader the Authentication-Results field value Petrel wrote or found, or null
 * @param dkim          one entry per DKIM signature, e.g. {@code pass (d=example.com s=sel)}; empty when unsigned or not checked
 * @param spf           the SPF result, e.g. {@code pass}, or null when not checked
 * @param dmarc         the DMARC result, e.g. {@code fail (p=reject)}, or null when not checked
 */
public record AuthenticationFacts(String resultsHeader, List<String> dkim, String spf, String dmarc) {
    /** Nothing was checked. */
    public static final AuthenticationFacts NONE = new AuthenticationFacts(null, List.of(), null, null);

    public AuthenticationFacts {
        dkim = dkim == null ? List.of() : List.copyOf(dkim);
    }
}
