package dev.petrel.protocol.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * LOGIN: the undocumented but ubiquitous mechanism (draft-murchison-sasl-login). The server
 * challenges {@code Username:} then {@code Password:}; the client answers each with one value.
 * An initial response on the AUTH line is taken as the user name (Outlook and others send it).
 */
public final class LoginMechanism implements SaslMechanism {
    private static final byte[] USERNAME_PROMPT = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD_PROMPT = "Password:".getBytes(StandardCharsets.US_ASCII);

    private final CredentialStore store;

    public LoginMechanism(CredentialStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public SaslExchange start() {
        return new SaslExchange() {
            private boolean started;
            private String username;

            @Override
            public SaslStep respond(byte[] clientData) {
                if (!started) {
                    started = true;
                    if (clientData == null) {
                        return new SaslStep.Challenge(USERNAME_PROMPT.clone());
                    }
                }
                if (clientData == null) {
                    return new SaslStep.Failure(SaslStep.Reason.MALFORMED, username);
                }
                String text = SaslText.utf8(clientData);
                if (username == null) {
                    if (text == null || !SaslText.isAcceptableName(text)) {
                        return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
                    }
                    username = text;
                    return new SaslStep.Challenge(PASSWORD_PROMPT.clone());
                }
                if (text == null || text.indexOf('\0') >= 0) {
                    return new SaslStep.Failure(SaslStep.Reason.MALFORMED, username);
                }
                return store.verifyPassword(username, text)
                        ? new SaslStep.Success(username)
                        : new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, username);
            }
        };
    }
}
