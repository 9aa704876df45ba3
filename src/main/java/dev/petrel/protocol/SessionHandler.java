package dev.petrel.protocol;

import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;

import java.io.IOException;
import java.util.Optional;

/**
 * The session's window onto the rest of the server: policy, the spool and AUTH throttling.
 * Each check returns a refusal to send, or empty to go on. Called from the session's thread.
 */
public interface SessionHandler {
    /** HELO or EHLO passed syntax checks; {@code name} is its argument. */
    default Optional<Reply> checkHelo(SessionView session, String name) {
        return Optional.empty();
    }

    /** MAIL FROM passed syntax checks; {@code sender} is null for {@code <>}. */
    Optional<Reply> checkSender(SessionView session, MailAddress sender);

    /** RCPT TO passed syntax checks. */
    Optional<Reply> checkRecipient(SessionView session, MailAddress sender, MailAddress recipient);

    /** Before an AUTH exchange starts: a refusal when this client has failed too often. */
    Optional<Reply> beforeAuth(SessionView session);

    /**
     * After an AUTH exchange ends; may pause (slowing down guessing) before the reply is sent.
     *
     * @return for a failure, a reply to send instead of 535 (e.g. 454 4.7.0 for a locked-out
     *         user name); ignored after a success
     */
    Optional<Reply> afterAuth(SessionView session, boolean success, String username);

    /**
     * Starts storing a message. Throws {@link dev.petrel.queue.SpoolFullException}-like
     * {@link StorageFullException} when there is no room, any other IOException on failure.
     */
    MessageSink open(SessionView session, Envelope envelope, long declaredSize) throws IOException;

    /** The session ended (any way); forget what was kept about it. */
    default void closed(SessionView session) {
    }

    /**
     * The whole message has arrived and passed the session's own checks; a refusal here means
     * nothing is committed. {@code headerSection} is the header section as received (our
     * Received: field first), or null when it was larger than 64 KiB.
     */
    default Optional<Reply> checkMessage(SessionView session, Envelope envelope, byte[] headerSection) {
        return Optional.empty();
    }

    /** A refusal or error reply was sent, for logging; {@code command} is the verb. */
    void rejected(SessionView session, String command, Reply reply);

    /** Where one message's content goes. */
    interface MessageSink extends ContentDecoder.Sink {
        /** The queue id, known before the content so the Received header can name it. */
        String id();

        /**
         * The whole message has arrived and passed every other check: the sink's own last word
         * before {@link #commit} (e.g. DMARC, which needs the body). A refusal means
         * {@link #abort} follows.
         */
        default Optional<Reply> check() {
            return Optional.empty();
        }

        /** Makes the message durable; when it returns, the 250 reply may be sent. */
        void commit() throws IOException;

        void abort();
    }

    /**
     * Thrown by a check to close the connection at once, without a reply (capture mode's "drop the
     * connection" fault). The message in progress, if any, is discarded.
     */
    final class DropConnection extends RuntimeException {
        public DropConnection(String why) {
            super(why, null, false, false);
        }
    }

    /** The storage is full: reply 452 4.3.1. */
    final class StorageFullException extends IOException {
        public StorageFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
