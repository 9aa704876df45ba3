package dev.petrel.mailauth.dmarc;

import com.google.common.net.InternetDomainName;

/**
 * The Organizational Domain of RFC 7489 section 3.2: the public suffix of a name plus one more
 * label, using the Public Suffix List that Guava's {@link InternetDomainName} carries.
 *
 * <p><b>Which suffixes count.</b> We use the whole list, ICANN and private entries alike
 * ({@link InternetDomainName#topPrivateDomain()}), not only registry suffixes. A private entry such
 * as {@code github.io} or {@code blogspot.com} marks a point below which different, unrelated
 * parties own the names. Treating {@code alice.github.io} and {@code mallory.github.io} as one
 * organization would let Mallory's DKIM signature align, in relaxed mode, with mail "From" Alice,
 * and would apply GitHub's own policy to mail of every tenant. The full list is also what
 * OpenDMARC and the large receivers use, so our verdicts match theirs.
 *
 * <p><b>Edge cases.</b> A name that is itself a public suffix ({@code co.uk}, {@code github.io},
 * a bare TLD) is its own Organizational Domain: the algorithm of section 3.2 has no further label
 * to add, and nothing above a public suffix can own it. A name under a TLD the list does not know
 * follows the list's default rule {@code *}: the TLD is the public suffix, so
 * {@code mail.example.unknowntld} belongs to {@code example.unknowntld}.
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {}

    /** The Organizational Domain of {@code domain}, a normalized name (lower case, A-labels, no trailing dot). */
    public static String of(String domain) {
        InternetDomainName name;
        try {
            name = InternetDomainName.from(domain);
        } catch (IllegalArgumentException e) {
            return defaultRule(domain); // a name Guava will not parse (a label it rejects): still give an answer
        }
        if (name.isUnderPublicSuffix()) return name.topPrivateDomain().toString();
        if (name.isPublicSuffix()) return domain;
        return defaultRule(domain);
    }

    /** The PSL's implicit rule {@code *}: the last label is the public suffix, the Organizational Domain is the last two. */
    private static String defaultRule(String domain) {
        int last = domain.lastIndexOf('.');
        if (last < 0) return domain;
        int secondLast = domain.lastIndexOf('.', last - 1);
        return secondLast < 0 ? domain : domain.substring(secondLast + 1);
    }
}
