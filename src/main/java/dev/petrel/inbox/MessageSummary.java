package dev.petrel.inbox;

import java.time.Instant;
import java.util.List;

/**
 * A stored message as lists show it (Mailpit's {@code MessageSummary}, plus the inbox name).
 *
 * @param id          the inbox id (26 characters, sortable by arrival)
 * @param inbox       the inbox the message is in
 * @param messageId   the Message-ID header without angle brackets, or empty
 * @param read        whether it was marked read
 * @param from        the From mailbox, or null
 * @param to          To mailboxes
 * @param cc          Cc mailboxes
 * @param bcc         Bcc: those of a Bcc header plus envelope recipients named in no To, Cc or Bcc header
 * @param replyTo     Reply-To mailboxes
 * @param subject     the decoded subject
 * @param created     when the message was received
 * @param username    the SMTP AUTH user, or empty
 * @param tags        the message's tags
 * @param size        the raw size in bytes
 * @param attachments how many attachments (not counting inline parts)
 * @param snippet     up to 250 characters of the text
 */
public record MessageSummary(
        String id,
        String inbox,
        String messageId,
        boolean read,
        MailboxAddress from,
        List<MailboxAddress> to,
        List<MailboxAddress> cc,
        List<MailboxAddress> bcc,
        List<MailboxAddress> replyTo,
        String subject,
        Instant created,
        String username,
        List<String> tags,
        long size,
        int attachments,
        String snippet) {

    public MessageSummary {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        tags = List.copyOf(tags);
    }

    MessageSummary withRead(boolean value) {
        return new MessageSummary(id, inbox, messageId, value, from, to, cc, bcc, replyTo, subject, created, username, tags,
                size, attachments, snippet);
    }
}
