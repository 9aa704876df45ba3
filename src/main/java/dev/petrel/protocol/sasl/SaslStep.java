package dev.petrel.protocol.sasl;

import java.util.Objects;

/** What an exchange answers to one client message. */
public sealed interface SaslStep {
    /** Send these bytes as a 334 challenge (base64-encoded by the session) and wait for the client. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            Objects.requireNonNull(data, "data");
        }
    }

    /** Authenticated as {@code identity} (the authorization identity, a user name). */
    record Success(String identity) implements SaslStep {
        public Success {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * Authentication failed. {@code username} is the name the client tried, when known (for
     * per-user throttling and logs; never a password), or null.
     */
    record Failure(Reason reason, String username) implements SaslStep {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    enum Reason {
        /** Wrong user or password: 535 5.7.8. */
        BAD_CREDENTIALS,
        /** The client's message did not follow the mechanism's syntax: 501 5.5.2. */
        MALFORMED
    }
}
