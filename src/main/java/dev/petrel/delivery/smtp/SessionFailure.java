package dev.petrel.delivery.smtp;

/**
 * Why a connection to one target could not be made ready for MAIL FROM: refused, timed out,
 * greeted with an error, TLS or AUTH trouble. The transport then tries the next target, and
 * reports the last failure when none is left. Always temporary: another target or a later try
 * may do better.
 */
final class SessionFailure extends Exception {
    /** What went wrong, so the transport can react (opportunistic TLS falls back to plaintext). */
    enum Kind { CONNECT, TIMEOUT, IO, REPLY, TLS_UNAVAILABLE, TLS_HANDSHAKE, AUTH }

    private final Kind kind;
    private final String dsn;
    private final boolean remoteReply;

    /**
     * @param dsn         a 4.x.x status (a remote 5xx code's class is turned into 4)
     * @param text        the remote reply verbatim when {@code remoteReply}, else our explanation
     */
    SessionFailure(Kind kind, String dsn, String text, boolean remoteReply) {
        super(text, null, false, false);
        this.kind = kind;
        this.dsn = dsn.startsWith("5.") ? "4." + dsn.substring(2) : dsn;
        this.remoteReply = remoteReply;
    }

    Kind kind() {
        return kind;
    }

    String dsn() {
        return dsn;
    }

    String text() {
        return getMessage();
    }

    boolean remoteReply() {
        return remoteReply;
    }
}
