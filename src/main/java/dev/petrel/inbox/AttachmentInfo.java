package dev.petrel.inbox;

/**
 * A non-body MIME part of a message: an attachment or an inline part (e.g. an image referenced by
 * {@code cid:} from the HTML).
 *
 * @param partId      the part's position in the MIME tree, e.g. {@code 2} or {@code 1.2}; the key for
 *                    {@code GET /api/v1/message/{ID}/part/{PartID}}
 * @param fileName    the file name from Content-Disposition or Content-Type, or empty
 * @param contentType the media type, e.g. {@code application/pdf}
 * @param contentId   the Content-ID without angle brackets, or empty
 * @param size        the decoded size in bytes
 */
public record AttachmentInfo(String partId, String fileName, String contentType, String contentId, long size) {
}
