package dev.petrel.protocol;

/**
 * Bounds on what one client may make a session do ([limits] in the config).
 *
 * @param maxHeaderSize          octets of a message's header section (552 5.3.4 beyond)
 * @param maxMimeDepth           nesting of multipart and message/rfc822 parts (554 5.6.0 beyond)
 * @param maxCommands            commands in one session; the next one gets 421 4.7.0 and the close
 * @param forbidUnauthPipelining an unauthenticated client that sends more input where it must wait
 *                               for a reply is disconnected with 554 5.5.0 (Postfix's
 *                               smtpd_forbid_unauth_pipelining)
 */
public record SessionLimits(int maxHeaderSize, int maxMimeDepth, int maxCommands, boolean forbidUnauthPipelining) {
    /** No limits: for sessions built without a [limits] table (tests, tools). */
    public static final SessionLimits NONE = new SessionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, false);
}
