package dev.petrel.inbox.api;

import dev.petrel.protocol.sasl.CredentialStore;

import javax.net.ssl.SSLContext;

/**
 * Who may use the inbox UI and API, and over what.
 *
 * @param users the Petrel users (HTTP Basic) who may; null: anyone who can connect (loopback)
 * @param tls   serve HTTPS with this context; null: plain HTTP
 */
public record InboxAccess(CredentialStore users, SSLContext tls) {
    /** Plain HTTP, no password: only for an inbox on loopback. */
    public static final InboxAccess OPEN = new InboxAccess(null, null);

    /** The scheme the UI is reached with, for the log. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }
}
