package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.AuthenticationResults;
import dev.petrel.mailauth.MailMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ARC sets of a message as {@link ArcHop}s, oldest first. It checks nothing: call it for
 * a message whose chain {@link ArcVerifier} found to pass, and believe a hop only for a sealer you
 * trust (RFC 8617 section 7.2).
 */
public final class ArcHops {
    private ArcHops() {}

    /** The hops, oldest first; empty when the ARC fields do not form valid sets. */
    public static List<ArcHop> of(MailMessage message) {
        if (!(ArcSets.of(message) instanceof ArcSets.Sets found)) return List.of();
        List<ArcHop> hops = new ArrayList<>();
        for (ArcSet set : found.sets()) {
            String sealer;
            try {
                sealer = ArcSeal.parse(set.seal()).domain();
            } catch (ArcSeal.InvalidException e) {
                return List.of();
            }
            hops.add(new ArcHop(set.instance(), sealer, recordedDmarc(set.authenticationResults())));
        }
        return hops;
    }

    /** The dmarc= result of an ARC-Authentication-Results field ("i=N; authserv-id; ..."), or null. */
    private static String recordedDmarc(MailMessage.HeaderField field) {
        String value = field.value();
        int semicolon = value.indexOf(';'); // after the i=N tag
        if (semicolon < 0) return null;
        try {
            for (AuthenticationResults.Result r : AuthenticationResults.parse(value.substring(semicolon + 1)).results()) {
                if (r.method().equals("dmarc")) return r.result();
            }
        } catch (IllegalArgumentException e) {
            return null; // unreadable: it vouches for nothing
        }
        return null;
    }
}
