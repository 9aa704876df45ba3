package dev.petrel.protocol.sasl;

import java.util.Objects;

/**
 * PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}. Only safe inside TLS;
 * the session decides where it is offered. The authzid must be empty or the authcid itself:
 * Petrel has no "log in as someone else" rights.
 */
public final class PlainMechanism implements SaslMechanism {
    private final CredentialStore store;

    public PlainMechanism(CredentialStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public SaslExchange start() {
        return new SaslExchange() {
            private boolean challenged;

            @Override
            public SaslStep respond(byte[] clientData) {
                if (clientData == null) {
                    if (challenged) {
                        return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
                    }
                    // No initial response: an empty 334 asks the client for its message.
                    challenged = true;
                    return new SaslStep.Challenge(new byte[0]);
                }
                return check(clientData);
            }
        };
    }

    private SaslStep check(byte[] data) {
        String text = SaslText.utf8(data);
        if (text == null) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
        }
        String[] parts = text.split("\0", -1);
        if (parts.length != 3) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
        }
        String authzid = parts[0];
        String authcid = parts[1];
        String password = parts[2];
        if (!SaslText.isAcceptableName(authcid)) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
        }
        if (password.isEmpty() || (!authzid.isEmpty() && !SaslText.isAcceptableName(authzid))) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED, authcid);
        }
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, authcid);
        }
        return store.verifyPassword(authcid, password)
                ? new SaslStep.Success(authcid)
                : new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, authcid);
    }
}
