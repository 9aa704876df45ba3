package dev.petrel.mailauth.dmarc;

import java.util.List;

/**
 * Which authenticated identifiers aligned with the From domain (RFC 7489 section 3.1).
 *
 * @param spfDomain   the SPF-authenticated domain when it passed and aligned, else null
 * @param dkimDomains the {@code d=} of every passing signature that aligned (normalized, in
 *                    signature order, without repeats); empty when none did
 */
public record Alignment(String spfDomain, List<String> dkimDomains) {
    public Alignment {
        dkimDomains = List.copyOf(dkimDomains);
    }

    public boolean spfAligned() {
        return spfDomain != null;
    }

    public boolean dkimAligned() {
        return !dkimDomains.isEmpty();
    }

    /** DMARC passes when either mechanism passed with an aligned identifier. */
    public boolean any() {
        return spfAligned() || dkimAligned();
    }
}
