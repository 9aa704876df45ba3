package dev.petrel.protocol;

import dev.petrel.protocol.sasl.SaslMechanism;

import java.util.List;

/**
 * What a server session needs to know about its listener.
 *
 * @param hostname              our name in the greeting, EHLO reply and Received header
 * @param listenerName          for the Received header and the envelope
 * @param authRequired          submission listeners: MAIL only after AUTH
 * @param startTlsAvailable     offer STARTTLS (false on implicit-TLS and plaintext-only listeners)
 * @param mechanisms            SASL mechanisms offered once the session is encrypted
 * @param maxMessageSize        octets; advertised with SIZE
 * @param maxRecipients         RCPT commands per transaction
 * @param rejectBareLineEndings refuse (rather than normalize) bare CR and LF
 * @param rejectLongLines       refuse content lines over 998 octets
 * @param maxErrors             client errors before the session is closed with 421
 * @param limits                [limits]: header size, MIME depth, commands, pipelining
 */
public record SessionSettings(
        String hostname,
        String listenerName,
        boolean authRequired,
        boolean startTlsAvailable,
        List<SaslMechanism> mechanisms,
        long maxMessageSize,
        int maxRecipients,
        boolean rejectBareLineEndings,
        boolean rejectLongLines,
        int maxErrors,
        SessionLimits limits) {
    public SessionSettings {
        mechanisms = List.copyOf(mechanisms);
    }

    /** Without [limits] (tests and tools): {@link SessionLimits#NONE}. */
    public SessionSettings(String hostname, String listenerName, boolean authRequired, boolean startTlsAvailable,
                           List<SaslMechanism> mechanisms, long maxMessageSize, int maxRecipients,
                           boolean rejectBareLineEndings, boolean rejectLongLines, int maxErrors) {
        this(hostname, listenerName, authRequired, startTlsAvailable, mechanisms, maxMessageSize, maxRecipients,
                rejectBareLineEndings, rejectLongLines, maxErrors, SessionLimits.NONE);
    }
}
