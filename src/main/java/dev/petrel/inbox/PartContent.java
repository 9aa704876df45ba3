package dev.petrel.inbox;

/** The decoded content of one MIME part, for download. */
public record PartContent(String contentType, String fileName, byte[] content) {
}
