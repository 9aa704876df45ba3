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
 * @param checksums   digests of the decoded content, or null when not computed (they are computed
 *                    for the full message view, not at capture time)
 */
public record AttachmentInfo(String partId, String fileName, String contentType, String contentId, long size, Checksums checksums) {
    /** An attachment without checksums. */
    public AttachmentInfo(String partId, String fileName, String contentType, String contentId, long size) {
        this(partId, fileName, contentType, contentId, size, null);
    }

    /** Lowercase hex digests of the decoded content, as Mailpit shows them. */
    public record Checksums(String md5, String sha1, String sha256) {
    }
}
