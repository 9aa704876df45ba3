package dev.petrel.inbox;

/**
 * One header field of a captured message: the name as written and the value unfolded (line breaks
 * of folding removed) but otherwise as written, encoded words included.
 */
public record HeaderField(String name, String value) {
}
