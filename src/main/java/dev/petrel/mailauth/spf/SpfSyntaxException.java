package dev.petrel.mailauth.spf;

/**
 * A record, domain-spec or explanation that does not follow RFC 7208's grammar (section 12). The
 * message says what is wrong and where, for the {@code problem} of a {@code permerror} result.
 */
public final class SpfSyntaxException extends Exception {
    public SpfSyntaxException(String problem) {
        super(problem);
    }
}
