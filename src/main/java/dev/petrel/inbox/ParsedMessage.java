package dev.petrel.inbox;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the inbox reads out of a message's MIME structure. Built by {@link MimeReader}; addresses and
 * the subject are decoded (RFC 2047), bodies are decoded to text.
 *
 * @param from        the first From mailbox, or null when absent or unreadable
 * @param to          To mailboxes (groups flattened)
 * @param cc          Cc mailboxes
 * @param bcc         Bcc mailboxes from the header (the store adds hidden envelope recipients)
 * @param replyTo     Reply-To mailboxes
 * @param subject     the decoded subject, or empty
 * @param messageId   the Message-ID without angle brackets, or empty
 * @param date        the Date header with the sender's offset, or null when absent or unparseable
 * @param returnPath  the Return-Path address, or empty
 * @param text        the text/plain body (several inline text parts joined), or empty
 * @param html        the text/html body, or empty
 * @param attachments parts that are attachments
 * @param inline      inline parts with a Content-ID (images of the HTML)
 * @param headers     all top-level header fields, in order
 */
public record ParsedMessage(
        MailboxAddress from,
        List<MailboxAddress> to,
        List<MailboxAddress> cc,
        List<MailboxAddress> bcc,
        List<MailboxAddress> replyTo,
        String subject,
        String messageId,
        OffsetDateTime date,
        String returnPath,
        String text,
        String html,
        List<AttachmentInfo> attachments,
        List<AttachmentInfo> inline,
        List<HeaderField> headers) {

    public ParsedMessage {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        attachments = List.copyOf(attachments);
        inline = List.copyOf(inline);
        headers = List.copyOf(headers);
    }
}
