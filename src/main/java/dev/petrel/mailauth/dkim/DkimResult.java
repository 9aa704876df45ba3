package dev.petrel.mailauth.dkim;

import java.util.Locale;

/**
 * The outcome of verifying one DKIM signature (RFC 6376 section 6, result names from RFC 8601
 * section 2.7.1). A message without signatures has one result of kind {@link Kind#NONE}.
 *
 * @param kind            the result
 * @param domain          the signing domain ({@code d=}), or null when the signature has none or there is no signature
 * @param selector        {@code s=}, or null
 * @param identity        the agent or user identifier ({@code i=}, defaulting to {@code @d}), or null
 * @param algorithm       {@code a=} as written ({@code rsa-sha256}, {@code ed25519-sha256}), or null
 * @param signaturePrefix the first 8 characters of {@code b=} without white space, for {@code header.b} (RFC 6008), or null
 * @param reason          why it did not pass ("body hash did not verify", "key too short", ...); null on pass
 */
public record DkimResult(Kind kind, String domain, String selector, String identity, String algorithm,
                         String signaturePrefix, String reason) {
    public enum Kind {
        NONE, PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        /** The result keyword as RFC 8601 writes it. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The result for a message that carries no DKIM-Signature field. */
    public static DkimResult none() {
        return new DkimResult(Kind.NONE, null, null, null, null, null, null);
    }
}
