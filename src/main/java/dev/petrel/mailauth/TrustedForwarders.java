package dev.petrel.mailauth;

import dev.petrel.mailauth.arc.ArcHop;
import dev.petrel.mailauth.arc.ArcHops;
import dev.petrel.mailauth.arc.ArcResult;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The local policy of RFC 8617 section 7.2: a DMARC failure is not acted on when the message came
 * through an ARC sealer we trust (a mailing list, a forwarding service) that saw DMARC pass before
 * it changed the message. Three things must hold: the ARC chain validates, one of its sets was
 * sealed by a domain in the trusted list (exactly that domain), and that set's
 * ARC-Authentication-Results recorded {@code dmarc=pass}. Thread-safe.
 */
public final class TrustedForwarders {
    public static final TrustedForwarders NONE = new TrustedForwarders(List.of());

    private final Set<String> sealers;

    /** @param sealers ARC-Seal {@code d=} domains whose recorded results we believe */
    public TrustedForwarders(List<String> sealers) {
        this.sealers = sealers.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Why the DMARC failure of {@code message} may be overridden (for the log), or empty when it
     * may not.
     */
    public Optional<String> vouchFor(ArcResult arc, MailMessage message) {
        if (sealers.isEmpty() || arc.kind() != ArcResult.Kind.PASS) return Optional.empty();
        for (ArcHop hop : ArcHops.of(message).reversed()) { // the nearest trusted hop speaks first
            if (sealers.contains(hop.sealer()) && "pass".equals(hop.dmarc())) {
                return Optional.of("trusted ARC sealer " + hop.sealer() + " recorded dmarc=pass at i=" + hop.instance());
            }
        }
        return Optional.empty();
    }
}
