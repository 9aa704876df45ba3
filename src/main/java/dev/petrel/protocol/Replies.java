package dev.petrel.protocol;

import java.util.List;

/**
 * Every reply the server session sends, in one place, so that codes, enhanced status codes
 * (RFC 3463) and wording stay consistent and reviewable. Texts are short and say what to do.
 */
public final class Replies {
    private Replies() {}

    // Connection
    public static Reply greeting(String hostname) {
        return new Reply(220, null, List.of(hostname + " ESMTP Petrel"));
    }

    public static final Reply BYE = Reply.of(221, "2.0.0", "Bye");
    public static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout exceeded, closing connection");
    public static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors, closing connection");
    /** A fault of ours (a bug) in the middle of a session: the message in progress was not kept, so the client retries. */
    public static final Reply INTERNAL_ERROR = Reply.of(421, "4.3.0", "Local error in processing, closing connection");
    public static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "Service shutting down, try again later");
    public static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.7.0", "Too many connections, try again later");
    public static final Reply TOO_MANY_CONNECTIONS_FROM_IP =
            Reply.of(421, "4.7.0", "Too many connections from your address, try again later");
    public static final Reply TALKED_BEFORE_GREETING =
            Reply.of(554, "5.5.1", "Protocol error: client sent data before the greeting");
    public static final Reply NON_SMTP_COMMAND = Reply.of(554, "5.7.0", "Non-SMTP command received, closing connection");

    // Simple commands
    public static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    public static final Reply RESET_OK = Reply.of(250, "2.0.0", "Ok");
    public static final Reply VRFY = Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply HELP = new Reply(214, "2.0.0", List.of(
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH",
            "See RFC 5321; this server is Petrel"));

    public static Reply helo(String hostname) {
        return new Reply(250, null, List.of(hostname));
    }

    // Syntax and sequence
    public static final Reply UNRECOGNIZED = Reply.of(500, "5.5.2", "Command not recognized");
    public static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Command line too long (512 octets at most)");
    public static final Reply BARE_LINE_ENDING_IN_COMMAND =
            Reply.of(550, "5.5.2", "Bare CR or LF received in a command; end lines with CRLF");
    public static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    public static final Reply HELO_NEEDS_DOMAIN = Reply.of(501, "5.5.4", "Syntax: EHLO hostname");
    public static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
    public static final Reply SEND_EHLO_FIRST = Reply.of(503, "5.5.1", "Send EHLO first");
    public static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Nested MAIL command");
    public static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Send MAIL first");
    public static final Reply NEED_RCPT = Reply.of(554, "5.5.1", "No valid recipients");
    public static final Reply NO_ARGUMENTS_ALLOWED = Reply.of(501, "5.5.4", "Syntax error: this command takes no arguments");
    public static final Reply MAIL_SYNTAX = Reply.of(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
    public static final Reply RCPT_SYNTAX = Reply.of(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]");
    public static final Reply BDAT_SYNTAX = Reply.of(501, "5.5.4", "Syntax: BDAT size [LAST]");
    public static final Reply BDAT_THEN_DATA = Reply.of(503, "5.5.1", "DATA is not allowed after BDAT in the same transaction");

    public static Reply badAddress(String why) {
        return Reply.of(553, "5.1.3", "Bad address syntax: " + why);
    }

    public static Reply badParameter(String why) {
        return Reply.of(501, "5.5.4", why);
    }

    public static Reply unknownParameter(String name) {
        return Reply.of(555, "5.5.4", "Unsupported parameter " + name);
    }

    public static final Reply SOURCE_ROUTE = Reply.of(553, "5.1.0", "Source routes are not accepted; give a plain address");
    public static final Reply UTF8_NEEDS_SMTPUTF8 =
            Reply.of(553, "5.6.7", "Address contains UTF-8; send MAIL FROM with the SMTPUTF8 parameter");
    public static final Reply ESMTP_PARAMETER_AFTER_HELO =
            Reply.of(555, "5.5.4", "Parameters are not allowed after HELO; use EHLO");

    // Transaction
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Ok");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Ok");
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    public static final Reply START_DATA = new Reply(354, null, List.of("End data with <CR><LF>.<CR><LF>"));

    public static Reply messageTooBig(long max) {
        return Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size of " + max + " octets");
    }

    public static final Reply BARE_LINE_ENDING_IN_DATA =
            Reply.of(550, "5.5.2", "Message rejected: bare CR or LF received; end every line with CRLF");
    public static final Reply LINE_TOO_LONG_IN_DATA =
            Reply.of(550, "5.6.0", "Message rejected: a line is longer than 998 octets (RFC 5322); wrap it or use quoted-printable");

    public static final Reply TOO_MANY_HOPS =
            Reply.of(554, "5.4.6", "Message rejected: too many hops (more than 50 Received: headers); mail loop?");

    public static Reply queued(String queueId) {
        return Reply.of(250, "2.0.0", "Ok: queued as " + queueId);
    }

    public static Reply chunkReceived(long octets) {
        return Reply.of(250, "2.0.0", octets + " octets received");
    }

    public static final Reply SPOOL_FULL = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
    public static final Reply SPOOL_ERROR = Reply.of(451, "4.3.0", "Local error in processing, try again later");

    // TLS
    public static final Reply READY_TO_START_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    public static final Reply TLS_NOT_AVAILABLE = Reply.of(502, "5.5.1", "STARTTLS not available");
    public static final Reply TLS_ALREADY_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
    public static final Reply STARTTLS_FIRST = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");

    // AUTH
    public static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    public static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static final Reply AUTH_ALREADY_DONE = Reply.of(503, "5.5.1", "Already authenticated");
    public static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1", "AUTH is not allowed during a mail transaction");
    public static final Reply AUTH_NOT_AVAILABLE = Reply.of(503, "5.5.1", "AUTH is not available on this service");
    public static final Reply AUTH_SYNTAX = Reply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static final Reply AUTH_UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
    public static final Reply AUTH_BAD_BASE64 = Reply.of(501, "5.5.2", "Cannot decode response: not base64");
    public static final Reply AUTH_MALFORMED = Reply.of(501, "5.5.2", "Malformed authentication response");
    public static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    public static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final Reply AUTH_TOO_MANY_FAILURES =
            Reply.of(454, "4.7.0", "Too many failed authentication attempts, try again later");

    /** Per-user lockout (RFC 4954 section 6: 454 4.7.0 is a temporary authentication failure). */
    public static final Reply AUTH_USER_LOCKED =
            Reply.of(454, "4.7.0", "Too many failed attempts for this user name, try again later");

    public static Reply authChallenge(String base64) {
        return new Reply(334, null, List.of(base64));
    }

    // [limits]
    /** A client that reached a PROXY protocol listener directly, not through a listed load balancer. */
    public static final Reply NOT_A_LOAD_BALANCER = Reply.of(554, "5.7.1", "Connections to this port must come through the load balancer");
    public static final Reply TOO_MANY_COMMANDS = Reply.of(421, "4.7.0", "Too many commands, closing connection");
    public static final Reply PIPELINING_VIOLATION = Reply.of(554, "5.5.0", "Error: SMTP protocol synchronization");
    public static final Reply DATA_RATE_TOO_LOW = Reply.of(421, "4.4.2", "Data rate too low, closing connection");
    public static final Reply TOO_MANY_NEW_CONNECTIONS_FROM_IP =
            Reply.of(421, "4.7.0", "Too many new connections from your address, try again later");

    public static Reply headerTooBig(int max) {
        return Reply.of(552, "5.3.4", "Message header section exceeds " + max + " octets");
    }

    public static Reply mimeTooDeep(int max) {
        return Reply.of(554, "5.6.0", "MIME nesting deeper than " + max);
    }
}
