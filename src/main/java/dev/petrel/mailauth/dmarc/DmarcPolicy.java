package dev.petrel.mailauth.dmarc;

import java.util.Locale;

/**
 * A DMARC policy as a domain owner requests it ({@code p=}, {@code sp=}, RFC 7489 section 6.3) and,
 * after {@code pct} sampling, the disposition a receiver applies to a failing message.
 */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    /** The keyword as DMARC records and Authentication-Results comments write it. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The next milder policy, applied to a failing message that {@code pct} sampling left out
     * (RFC 7489 section 6.3, {@code pct}): reject becomes quarantine, quarantine becomes none.
     */
    public DmarcPolicy oneStepMilder() {
        return switch (this) {
            case REJECT -> QUARANTINE;
            case QUARANTINE, NONE -> NONE;
        };
    }

    /** The policy named {@code keyword} (any case), or null when it names none. */
    static DmarcPolicy fromKeyword(String keyword) {
        for (DmarcPolicy p : values()) {
            if (p.keyword().equalsIgnoreCase(keyword)) return p;
        }
        return null;
    }
}
