package dev.petrel.mailauth.dmarc;

/**
 * How closely an authenticated domain must match the RFC5322.From domain (RFC 7489 section 3.1),
 * as {@code adkim=} and {@code aspf=} request it.
 */
public enum AlignmentMode {
    /** {@code r}: the same Organizational Domain is enough (the default). */
    RELAXED,
    /** {@code s}: the very same domain name. */
    STRICT;

    /** The tag value: {@code r} or {@code s}. */
    public String keyword() {
        return this == RELAXED ? "r" : "s";
    }

    /** Whether {@code authenticated} and {@code from} (both normalized domain names) are aligned in this mode. */
    public boolean aligned(String authenticated, String from) {
        return switch (this) {
            case STRICT -> authenticated.equals(from);
            case RELAXED -> OrganizationalDomain.of(authenticated).equals(OrganizationalDomain.of(from));
        };
    }
}
