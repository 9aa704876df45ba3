package dev.petrel.protocol;

import dev.petrel.message.Envelope.TlsInfo;

import java.net.InetAddress;

/** Read-only facts about a session, for policy checks and logs. */
public interface SessionView {
    String sessionId();

    InetAddress clientAddress();

    /** The EHLO/HELO name, or null before it was given. */
    String helo();

    /** The authenticated user, or null. */
    String authIdentity();

    /** The TLS details, or null when the session is not encrypted. */
    TlsInfo tls();

    String listenerName();
}
