package dev.petrel.inbox;

/**
 * One stored message in full: its summary, what its MIME says, and the session it came in.
 *
 * @param summary the list view (with Bcc completed from the envelope)
 * @param parsed  the MIME content: bodies, attachments, header fields
 * @param facts   the envelope, session and authentication outcome
 */
public record InboxMessage(MessageSummary summary, ParsedMessage parsed, SessionFacts facts) {
}
