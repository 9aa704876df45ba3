package dev.petrel.delivery;

import dev.petrel.config.PetrelConfig.OutboundTls;

/**
 * Where the router sends a recipient. {@link #key()} groups recipients that can share one
 * transaction and one connection limit (a destination).
 */
public sealed interface Route {
    String key();

    /** Deliver to the MX hosts of the recipient's domain (or its address when it has no MX). */
    record Mx(String domain, OutboundTls tls) implements Route {
        public String key() {
            return "mx:" + domain;
        }
    }

    /** Deliver to a fixed relay: a static route or the smarthost. */
    record Relay(String host, int port, boolean mxLookup, OutboundTls tls, String username, String password)
            implements Route {
        public String key() {
            return "relay:" + host + ":" + port;
        }

        @Override
        public String toString() {
            return "Relay[" + host + ":" + port + ", tls=" + tls + (username == null ? "" : ", user=" + username) + "]";
        }
    }

    /** Deliver into a local mailbox (Maildir or LMTP). */
    record Local(String mailbox) implements Route {
        public String key() {
            return "local";
        }
    }

    /** Capture mode: store the message in the test inbox instead of sending it. */
    record Capture() implements Route {
        public String key() {
            return "capture";
        }
    }

    /** Cannot be delivered: bounce at once with this status (e.g. an unknown local user). */
    record Refuse(String dsn, String reason) implements Route {
        public String key() {
            return "refuse";
        }
    }
}
