package dev.petrel.queue;

import dev.petrel.delivery.Route;
import dev.petrel.delivery.Transport;

/** Picks the transport for a route (SMTP for MX and relays, Maildir or LMTP for local). */
@FunctionalInterface
public interface TransportSelector {
    Transport transportFor(Route route);
}
