package dev.petrel.delivery;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides where each recipient goes, in this order: a captured domain ([capture]) → the test
 * inbox; a local domain → local delivery; a static
 * route for the domain (first match; ".example.com" also matches subdomains) → that relay; the
 * smarthost, if any → the smarthost; an address literal → that address; otherwise the domain's
 * MX hosts. Immutable and thread-safe.
 */
public final class Router {
    private final Set<String> localDomains;
    private final List<PetrelConfig.Route> routes;
    private final PetrelConfig.Route smarthost;
    private final OutboundTls defaultTls;

    private final Predicate<String> captured;

    public Router(List<String> localDomains, List<PetrelConfig.Route> routes, PetrelConfig.Route smarthost,
                  OutboundTls defaultTls) {
        this(localDomains, routes, smarthost, defaultTls, domain -> false);
    }

    /** @param captured recipient domains (lower case) that go into the capture inbox, before any other rule */
    public Router(List<String> localDomains, List<PetrelConfig.Route> routes, PetrelConfig.Route smarthost,
                  OutboundTls defaultTls, Predicate<String> captured) {
        this.captured = captured;
        this.localDomains = localDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.routes = List.copyOf(routes);
        this.smarthost = smarthost;
        this.defaultTls = defaultTls;
    }

    /**
     * The listener name of mail released from the capture inbox ({@code POST .../release}): such
     * mail is routed as if capture were off, since sending it on is the point. No configured
     * listener can have this name.
     */
    public static final String RELEASED = "(release)";

    /** The route of {@code recipient} of the message with {@code envelope}. */
    public Route route(Envelope envelope, MailAddress recipient) {
        if (RELEASED.equals(envelope.listener())) return routeUncaptured(recipient);
        return route(recipient);
    }

    public Route route(MailAddress recipient) {
        if (captured.test(recipient.domainKey())) return new Route.Capture();
        return routeUncaptured(recipient);
    }

    private Route routeUncaptured(MailAddress recipient) {
        String domain = recipient.domainKey();
        if (localDomains.contains(domain)) return new Route.Local(recipient.localPart().toLowerCase(Locale.ROOT));
        for (PetrelConfig.Route r : routes) {
            if (matches(r.domain(), domain)) return relay(r);
        }
        if (smarthost != null) return relay(smarthost);
        if (recipient.isAddressLiteral()) {
            String literal = domain.substring(1, domain.length() - 1);
            if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) literal = literal.substring(5);
            return new Route.Relay(literal, 25, false, defaultTls, null, null);
        }
        return new Route.Mx(domain, defaultTls);
    }

    private static boolean matches(String pattern, String domain) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.startsWith(".")) return domain.endsWith(p) || domain.equals(p.substring(1));
        return domain.equals(p);
    }

    private static Route.Relay relay(PetrelConfig.Route r) {
        return new Route.Relay(r.host(), r.port(), r.mx(), r.tls(), r.username(), r.password());
    }
}
