package dev.petrel.inbox;

/**
 * The decoded content of one MIME part, for download.
 *
 * @param contentType the media type to serve it with, lowercase and without parameters (as Mailpit
 *                    serves a part), except that a text part keeps the charset it declares, e.g.
 *                    {@code text/plain; charset=iso-8859-1}
 * @param fileName    the file name from Content-Disposition or Content-Type, or empty
 * @param content     the content with its transfer encoding undone
 */
public record PartContent(String contentType, String fileName, byte[] content) {
}
